"""A small corpus for engine tests: distinct articles, exact and near duplicates
spread over the input order, a binary file, a too-short note and a bad JSONL line.

Inputs are read in this order (folders sorted, JSONL line by line): ``a.jsonl``
(lines 1-10), then ``b_*.txt`` files, then ``c.jsonl``. With 3 inputs per
chunk the duplicates fall into other chunks than their originals, one
near-duplicate into the same chunk.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

ARTICLES = [
    # 0
    """ISLAMABAD: Planning Minister Ahsan Iqbal met Chinese Ambassador Jiang Zaidong in Islamabad
on Monday to review progress on the China-Pakistan Economic Corridor (CPEC). The two sides agreed
to accelerate work on the ML-1 railway upgrade and to hold the next meeting of the Joint
Cooperation Committee in Beijing later this year. Ahsan Iqbal said Pakistan would ensure the
security of Chinese engineers working on CPEC projects, and that land for the Karachi terminal
had been cleared. The ambassador said China would continue to support cooperation in agriculture,
information technology and special economic zones, and that Chinese banks were studying the
financing plan for the first phase of the railway.""",
    # 1
    """BEIJING: Foreign Minister Ishaq Dar held talks with Chinese Foreign Minister Wang Yi in
Beijing on Thursday, the Foreign Office said. The ministers discussed regional security, trade
and the second phase of CPEC, and signed a memorandum of understanding on cooperation in
disaster management. Wang Yi said China valued its all-weather strategic partnership with
Pakistan and would help train Pakistani officials in emergency response. Dar thanked China
for its support after last year's floods and invited Wang Yi to visit Islamabad for the
strategic dialogue next spring. Both sides agreed to expand flights between Lahore and Urumqi.""",
    # 2
    """GWADAR: The Gwadar Port Authority said on Wednesday that a new desalination plant built with
a Chinese grant had started supplying water to the old town. Officials said the plant would
produce 1.2 million gallons a day and would be run by a local company with Chinese technical
support for two years. The chairman of the port authority said residents had waited years for
clean water, and that a second plant was planned near the fish harbour. Balochistan's chief
minister thanked the Chinese government and said the province would protect the facility and
its workers. Fishermen asked that the harbour road be repaired before the monsoon.""",
    # 3
    """KARACHI: Pakistan and China signed an agreement on Friday to upgrade the Karachi Circular
Railway, the Sindh transport department said. Under the deal a Chinese consortium will lay new
track, build twenty-four stations and supply electric trains, with work to begin next year.
The provincial transport minister said the railway would carry half a million passengers a day
once complete and would ease traffic on the city's main roads. A Chinese embassy spokesman said
the project showed that CPEC was now reaching ordinary people. Critics asked how the cost of
resettling families living along the old track would be met.""",
    # 4
    """ISLAMABAD: The Senate Standing Committee on Commerce was told on Tuesday that exports to
China rose by eighteen percent in the first half of the fiscal year, led by sesame, seafood and
copper. The commerce secretary said the second phase of the free trade agreement had opened Chinese
markets to more Pakistani goods, but that exporters still faced delays in certification. Members
of the committee asked the ministry to open a trade office in Chengdu and to help small firms
register on Chinese online platforms. The secretary said talks on a barter arrangement for
Afghan transit trade were continuing with Chinese officials.""",
    # 5
    """LAHORE: Chinese and Pakistani scientists agreed on Saturday to set up a joint laboratory for
wheat and cotton research at the University of Agriculture in Faisalabad. The agreement was
signed by the university's vice chancellor and a delegation from the Chinese Academy of
Agricultural Sciences. The laboratory will test drought-tolerant seed varieties and train
fifty Pakistani researchers in China each year. The Punjab agriculture minister said higher
yields were the only way to feed a growing population and to cut imports of edible oil. The
Chinese delegation also visited a hybrid rice farm near Sheikhupura.""",
    # 6
    """PESHAWAR: Work on the Rashakai Special Economic Zone has resumed after a pause of several
months, the Khyber Pakhtunkhwa board of investment said on Monday. Officials said gas and
electricity connections had been provided and that nine Chinese and local firms had been
allotted land for factories making steel, ceramics and pharmaceuticals. The board's chief
executive said the zone could create forty thousand jobs once fully occupied. Local traders
complained that the access road from the motorway was still unfinished, and asked the provincial
government to complete it before the first factories open next summer.""",
    # 7
    """ISLAMABAD: Pakistan's Interior Minister Mohsin Naqvi met a Chinese security delegation led by
Vice Minister of Public Security Liu Zhongyi on Wednesday to discuss the protection of Chinese
nationals. The two sides reviewed the security of CPEC projects and agreed to set up a joint
working group on counter-terrorism. Naqvi said Pakistan had raised a special security division
and would not allow anyone to harm the friendship between the two countries. Liu Zhongyi said
China appreciated the measures and hoped that those responsible for recent attacks would be
brought to justice quickly. The delegation later called on the army chief.""",
    # 8
    """URUMQI: A trade fair for Pakistani products opened in Urumqi on Sunday with more than one
hundred exhibitors selling textiles, handicrafts, dry fruit and surgical instruments. Pakistan's
consul general said sales at last year's fair had topped three million dollars and that Chinese
buyers were now asking for regular supplies. Organisers said the Khunjerab Pass would stay open
year-round from next spring, which would make road freight to Xinjiang cheaper than shipping
through Karachi. Several exhibitors said visa rules for traders should be relaxed so that they
could meet Chinese importers more often.""",
]

_NEAR_SUFFIX = "\n\nThis story was first published by the Associated Press of Pakistan."


def _near(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1) + _NEAR_SUFFIX


def _line(url: str, date: str, text: str, title: str | None = None) -> str:
    obj = {"url": url, "date": date, "text": text}
    if title:
        obj["title"] = title
    return json.dumps(obj, ensure_ascii=False)


def write_corpus(folder: Path) -> Path:
    """Write the corpus under ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    a_lines = [
        _line("https://news.test/a0", "2024-06-10", ARTICLES[0], "ML-1 work to be accelerated"),
        _line("https://news.test/a1", "2024-05-16", ARTICLES[1]),
        # near-duplicate of a1 in the same 3-input chunk
        _line("https://wire.test/a1", "2024-05-16",
              _near(ARTICLES[1], "on Thursday", "on Thursday evening")),
        _line("https://news.test/a2", "2024-03-06", ARTICLES[2]),
        "{this is not json",  # a bad line: quarantined by the source, on the driver
        _line("https://news.test/a3", "2024-02-02", ARTICLES[3]),
        _line("https://news.test/a4", "2024-01-23", ARTICLES[4]),
        _line("https://news.test/short", "2024-01-23", "Talks continue. More soon."),
        _line("https://news.test/a5", "2023-11-11", ARTICLES[5]),
        _line("https://news.test/a6", "2023-10-02", ARTICLES[6]),
    ]
    (folder / "a.jsonl").write_text("\n".join(a_lines) + "\n", encoding="utf-8")
    # plain-text files: an exact copy of a0, a binary file, a near-duplicate of a3
    (folder / "b_1_copy.txt").write_text(ARTICLES[0], encoding="utf-8")
    (folder / "b_2_binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "b_3_near.txt").write_text(
        _near(ARTICLES[3], "twenty-four stations", "24 stations"), encoding="utf-8")
    (folder / "b_4_scan.pdf").write_bytes(b"%PDF-1.4 not an article")
    c_lines = [
        _line("https://news.test/a7", "2024-08-07", ARTICLES[7]),
        # exact copy of a4 under another URL, far from the original
        _line("https://mirror.test/a4", "2024-01-23", ARTICLES[4]),
        _line("https://news.test/a8", "2024-07-14", ARTICLES[8]),
        # near-duplicate of a6, several chunks later
        _line("https://wire.test/a6", "2023-10-02",
              _near(ARTICLES[6], "nine Chinese", "nine Chinese, Turkish")),
    ]
    (folder / "c.jsonl").write_text("\n".join(c_lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def engine_corpus() -> SimpleNamespace:
    """``write(folder)`` writes the corpus; ``articles``: the distinct article texts."""
    return SimpleNamespace(write=write_corpus, articles=ARTICLES)
