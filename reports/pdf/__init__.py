"""PDF reports drawn with ReportLab: the audit report, the executive portfolio report and the
APPI Art. 32 public announcement, in Japanese or English.

Entry points: ``audit_report.build_audit_report``, ``portfolio.build_portfolio_report``,
``announcement.build_announcement_pdf`` and ``announcement.announcement_markdown``. They take
the plain dataclasses of :mod:`reports.pdf.model` and return bytes (or text); they never read
the database. Nothing is imported here, so a service that only fills the model does not load
ReportLab.
"""
