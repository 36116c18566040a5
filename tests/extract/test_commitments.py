"""Commitments: parties, modality, normalised action, sectors and projects."""

from __future__ import annotations

from collections.abc import Callable

from corridor.document import Document

Extract = Callable[..., Document]


TEXT = """ISLAMABAD: Pakistan and China agreed to expand cooperation in agriculture and IT.
Both sides reaffirmed their commitment to advancing the upgradation of ML-1 in a phased manner.
The President said Pakistan was committed to the completion of Gwadar Port.
Wang Yi said China would continue to roll over its deposits with the State Bank of Pakistan.
The Chinese side proposed a joint task force on countering disinformation.
Pakistan will provide land for the plant if the federal cabinet approves the financing plan.
China Central Television (CCTV) and Pakistan Television (PTV) will co-produce documentaries."""


def find(doc: object, word: str) -> object:
    return next(c for c in doc.commitments if word in c.action)  # type: ignore[attr-defined]


def test_modalities_and_parties(mode: str, run: Extract) -> None:
    doc = run(TEXT, dateline_place="Islamabad")
    agri = find(doc, "agriculture")
    assert agri.parties == ["china", "pakistan"] and agri.modality == "agreed"
    assert agri.action.startswith("expand cooperation in agriculture")
    assert {"agriculture", "it_digital"} <= set(agri.sectors)
    ml1 = find(doc, "ml-1")
    assert ml1.modality == "reaffirmed" and ml1.projects == ["ml-1"]
    assert "infrastructure_transport" in ml1.sectors
    roll = find(doc, "roll over")
    assert roll.parties == ["china"] and roll.modality == "will"
    task = find(doc, "task force")
    assert task.parties == ["china"] and task.modality == "proposed"
    land = find(doc, "provide land")
    assert land.parties == ["pakistan"] and land.modality == "conditional"
    docu = find(doc, "documentaries")
    assert docu.parties == ["cctv", "ptv"] and docu.modality == "will"


def test_committed_with_person_party_maps_to_country(run: Extract) -> None:
    doc = run(
        "President Asif Ali Zardari met Premier Li Qiang. "
        "The President said Pakistan was committed to the completion of Gwadar Port."
    )
    c = find(doc, "completion")
    assert c.parties == ["pakistan"] and c.modality == "committed"
    assert c.projects == ["gwadar-port"]
