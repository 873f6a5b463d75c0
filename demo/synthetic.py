"""Generated catalogues of any size, for benchmarks and tests."""

from __future__ import annotations

import yaml

from controls.references import APPI_GUIDELINE_IDS, ISO27001_2022_IDS

_GL = sorted(APPI_GUIDELINE_IDS)
_ISO = sorted(ISO27001_2022_IDS)


def catalogue_yaml(
    controls: int,
    *,
    domains: int = 10,
    version: str = "1.0",
    urn: str = "urn:kansa:catalogue:synthetic",
) -> str:
    """A valid catalogue with ``controls`` controls spread over ``domains`` domains."""
    per_domain = [
        controls // domains + (1 if i < controls % domains else 0) for i in range(domains)
    ]
    doc_domains = []
    n = 0
    for d, count in enumerate(per_domain):
        dom_id = f"D{d:02d}"
        items = []
        for _ in range(count):
            n += 1
            items.append(
                {
                    "id": f"{dom_id}-{n:04d}",
                    "title": {
                        "en": f"Control {n} on handling personal data",
                        "ja": f"個人データの取扱いに関する管理策 {n}",
                    },
                    "requirement": {
                        "en": f"The organisation defines and operates measure {n}, keeps records, "
                        "and reviews them at least once a year.",
                        "ja": f"組織は措置 {n} を定めて運用し、記録を残し、年1回以上見直す。",
                    },
                    "guidance": {
                        "en": ["Write a procedure", "Keep a log", "Review quarterly"],
                        "ja": ["手順を文書化する", "記録を残す", "四半期ごとに見直す"],
                    },
                    "small_business": {
                        "en": "A checklist reviewed by the owner.",
                        "ja": "責任者が確認するチェックリスト。",
                    },
                    "key": n % 5 == 0,
                    "refs": {
                        "appi_guideline": [_GL[n % len(_GL)]],
                        "iso27001_2022": [_ISO[n % len(_ISO)], _ISO[(n + 1) % len(_ISO)]],
                    },
                    "evidence_hints": {
                        "en": ["Procedure document", "Review record"],
                        "ja": ["手順書", "見直しの記録"],
                    },
                }
            )
        doc_domains.append(
            {"id": dom_id, "name": {"en": f"Domain {d}", "ja": f"分野 {d}"}, "controls": items}
        )
    doc = {
        "urn": urn,
        "version": version,
        "name": {
            "en": f"Synthetic catalogue ({controls} controls)",
            "ja": f"合成カタログ（管理策 {controls} 件）",
        },
        "scale": "maturity-0-5",
        "domains": doc_domains,
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)
