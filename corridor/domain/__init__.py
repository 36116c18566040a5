"""The default domain pack: lexicon (aliases en/ur/zh, titles), sector taxonomy,
event triggers and commitment cues, as data files beside this module.

``load_pack()`` reads them once per process and indexes them.
"""

from ._pack import (
    DomainPack,
    EventSpec,
    LexEntry,
    ModalitySpec,
    SectorSpec,
    TitleSpec,
    load_pack,
    norm_key,
    slugify,
)

__all__ = [
    "DomainPack",
    "EventSpec",
    "LexEntry",
    "ModalitySpec",
    "SectorSpec",
    "TitleSpec",
    "load_pack",
    "norm_key",
    "slugify",
]
