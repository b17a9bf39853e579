"""Case services: the only code that changes 办件 state. Each function is one transaction that writes its
history line, its outbox notices and, last, its audit entry.

    submit / save_draft / submit_bundle / attach_material / withdraw / supplement   (citizen)
    act / suspend / resume / add_comment / resume_external                           (official, systems)
    evaluate / answer_rectification                                                  (好差评)
    open_material                                                                    (audited read)
"""

from tongban.cases.services.evaluation import answer_rectification, evaluate
from tongban.cases.services.processing import act, add_comment, resume, resume_external, suspend
from tongban.cases.services.reading import open_material
from tongban.cases.services.submission import (
    attach_material,
    save_draft,
    submit,
    submit_bundle,
    supplement,
    withdraw,
)

__all__ = [
    "act",
    "add_comment",
    "answer_rectification",
    "attach_material",
    "evaluate",
    "open_material",
    "resume",
    "resume_external",
    "save_draft",
    "submit",
    "submit_bundle",
    "supplement",
    "suspend",
    "withdraw",
]
