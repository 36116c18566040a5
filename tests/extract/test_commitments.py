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


# Own-written: reiteration and readiness forms, organs of a state, schedules.
FORMS = """BEIJING: A delegation of the Pakistan Peoples Party met officials of the \
International Department of the CPC Central Committee in Beijing on Monday.
The International Department of the CPC Central Committee expressed readiness to deepen \
exchanges between the two parties.
Pakistan reiterated its commitment to ensuring the safety of Chinese workers in Balochistan.
China reaffirmed its firm support for Pakistan in safeguarding its territorial integrity.
Both sides expressed their desire to expand trade in agricultural products.
The two sides expressed openness to third-party participation in the corridor.
China stands ready to help Pakistan upgrade its textile industry.
The Foreign Office expressed willingness to host the next round of strategic dialogue."""


def test_reiteration_and_readiness_forms(mode: str, run: Extract) -> None:
    doc = run(FORMS, dateline_place="Beijing")
    safety = find(doc, "safety of chinese workers")
    assert safety.parties == ["pakistan"] and safety.modality == "reaffirmed"
    support = find(doc, "territorial integrity")
    assert support.parties == ["china"] and support.modality == "reaffirmed"
    assert support.action.startswith("support for pakistan")
    desire = find(doc, "expand trade")
    assert desire.parties == ["china", "pakistan"] and desire.modality == "will"
    third = find(doc, "third-party participation")
    assert third.parties == ["china", "pakistan"] and third.modality == "will"
    ready = find(doc, "textile")
    assert ready.parties == ["china"] and ready.modality == "will"
    doc = run(
        "ISLAMABAD: The Prime Minister conveyed Pakistan's readiness to host a business "
        "forum in Karachi.\nBoth sides welcomed third-party participation in projects under "
        "the corridor.",
        dateline_place="Islamabad",
    )
    forum = find(doc, "business forum")
    assert forum.parties == ["pakistan"] and forum.modality == "will"
    welcome = find(doc, "third-party participation")
    assert welcome.parties == ["china", "pakistan"] and welcome.modality == "will"


def test_organ_of_a_state_binds_its_country(mode: str, run: Extract) -> None:
    doc = run(FORMS, dateline_place="Beijing")
    exchanges = find(doc, "deepen exchanges")
    assert exchanges.parties == ["china"] and exchanges.modality == "will"
    dialogue = find(doc, "strategic dialogue")
    assert dialogue.parties == ["pakistan"]
    doc = run(
        "Pakistan's Ministry of Maritime Affairs expressed its readiness to expand "
        "the capacity of Gwadar Port."
    )
    assert find(doc, "capacity").parties == ["pakistan"]


def test_one_persons_schedule_is_not_a_commitment(mode: str, run: Extract) -> None:
    doc = run(
        "ISLAMABAD: Senator Sherry Rehman will attend the opening of the trade fair in Urumqi.\n"
        "She will also visit Kashgar and Shanghai.\n"
        "Sherry Rehman said Pakistan will provide security to all Chinese workers.\n"
        "The two militaries will hold more joint exercises.",
        dateline_place="Islamabad",
    )
    actions = [c.action for c in doc.commitments]
    assert not any("trade fair" in a or "kashgar" in a for a in actions)
    assert find(doc, "security").parties == ["pakistan"]
    assert find(doc, "joint exercises").parties == ["china", "pakistan"]


def test_two_bodies_named_with_acronyms_bind_themselves(mode: str, run: Extract) -> None:
    doc = run(
        "ISLAMABAD: China Central Television (CCTV) and Pakistan Television (PTV) signed "
        "an agreement on Monday in the presence of Attaullah Tarar and Jiang Zaidong.\n"
        "Under the agreement, the two broadcasters will exchange news programmes.",
        dateline_place="Islamabad",
    )
    assert find(doc, "news programmes").parties == ["cctv", "ptv"]
