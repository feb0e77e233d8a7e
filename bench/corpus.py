"""A seeded generator of varied callback records, made from the real ones in samples/.

Each record takes one sample apart (header and outline, chapter generations, supplied
references), then varies it the way real records vary: chapters shuffled, duplicated and
dropped; debris injected from every family of RECORD-FORMAT.md (reasoning tags with text,
chatter, leaked prompts and input blobs, repetition loops, placeholder tables, invented
reference lists, stray rules, junk headings, a truncated ending); CRLF, BOM, no UUID or no
end marker now and then; and a size between 10 KB and 5 MB, reached by dropping chapters or
by adding paragraphs rebuilt from the sample's own sentences (so citations stay in range and
no paragraph is a verbatim repeat that the repetition rule would rightly remove).

The same (seed, index, size) always gives the same text.

    python -m bench.corpus OUT_DIR -n 200 --seed 1 --min-kb 10 --max-kb 5120
"""

from __future__ import annotations

import argparse
import math
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "samples"
KB = 1024
MIN_CHAPTERS = 3  # a record shrunk to a small size keeps this many chapters

_THINK_RE = re.compile(r"<think>.*?</think>", re.S)
_SENTENCE_RE = re.compile(r"[^。！？]+[。！？]")
_PROSE_LINE = re.compile(r"^(?![#|>\-*`\d\[])\S")  # a body line: not a heading, table, list, quote or fence


@dataclass(frozen=True)
class Sample:
    """A real record taken apart at its seams."""

    header: str  # metadata and outline, up to and including "内容:"
    title_generation: str  # the first generation: title, abstract, keywords
    chapters: list[str]  # the other generations
    references: str  # "# 参考文献:" and the supplied list
    sentences: list[str]  # body sentences, the material for longer chapters


def parse_sample(text: str) -> Sample:
    header, _, rest = text.partition("内容:\n")
    content, marker, tail = rest.partition("# 参考文献:")
    references = marker + tail.split("对话结束")[0]
    generations = [g.strip("\n") for g in _THINK_RE.split(content) if g.strip()]
    sentences = [
        s.strip()
        for line in content.splitlines()
        if _PROSE_LINE.match(line) and len(line) > 40
        for s in _SENTENCE_RE.findall(line)
        if len(s.strip()) > 15
    ]
    return Sample(header + "内容:\n", generations[0], generations[1:], references.rstrip() + "\n", sentences)


def load_samples(folder: Path = SAMPLES_DIR) -> list[Sample]:
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no sample records in {folder}")
    return [parse_sample(p.read_text(encoding="utf-8")) for p in paths]


# --- debris: one maker per family; each returns the text to inject -------------------------

def _think_with_text(rng: random.Random) -> str:
    thought = rng.choice([
        "好的，用户让我撰写这一章。我需要先回顾大纲，再确定每一节的要点，并注意引用格式。",
        "Let me plan this chapter: first the background, then the methods, then the open problems.",
    ])
    return f"<think>\n{thought}\n</think>"


def _chatter(rng: random.Random) -> str:
    return rng.choice([
        "The requested chapter has been fully processed and all content has been generated. "
        "No further outputs are needed for this task.",
        "以上是根据要求撰写的内容。如需进一步修改，请告诉我。",
        "好的，以下是根据大纲撰写的章节内容：",
        "Certainly! Here is the revised section. Let me know if you need any further changes.",
    ])


def _leaked_rules(rng: random.Random) -> str:
    return ("#### 结构要求\n\n- **请严格遵守所有格式与引用规范，包括但不限于：**\n"
            "- **引用格式**：使用Vancouver顺序编码制，例如`[^1][^2]`\n- **语言**：正式学术中文\n"
            "- **篇幅**：不少于800字\n")


def _leaked_input_blob(rng: random.Random) -> str:
    blob = ('【输入数据块】\n\n```json\n{\n  "title": "深度学习在医学影像分析中的应用",\n  "sections": [\n'
            '    {"title": "文献综述", "content": "请根据检索结果撰写"}\n  ]\n}\n')
    return blob if rng.random() < 0.5 else blob + "```\n"  # half of them never close the fence


def _leaked_imperative(rng: random.Random) -> str:
    return ("请根据以下信息撰写综述的“引言”部分，要求：\n\n- 使用正式学术中文，避免口语化表达；\n"
            "- 引用格式：方括号内的数字编号；\n- 每段不少于150字。\n")


def _repetition_loop(rng: random.Random) -> str:
    word = rng.choice(["分析", "研究", "模型", "analysis"])
    return "\n".join([word] * rng.randint(20, 90))


def _placeholder_table(rng: random.Random) -> str:
    return ("表X 表格：不同方法的性能对比\n\n| 1 | 2 | 3 |\n| --- | --- | --- |\n| 1 | 2 | 3 |\n| | | |\n")


def _invented_references(rng: random.Random) -> str:
    return ("#### 参考文献\n\n1. Smith J, et al. Deep learning for image recognition: a review. "
            "*J Imaging*. 2023;12(3):45-67.\n2. Johnson L, et al. Vision transformers. 2022.\n"
            "3. Patel R, et al. Self-supervised learning. 2024.\n")


def _stray_rule(rng: random.Random) -> str:
    return "---"


def _junk_heading(rng: random.Random) -> str:
    return rng.choice(["##### ", "##### 文献[^1][^2][^3][^4]", "### 参考文献", "### 表X 标题"])


DEBRIS: list[tuple[str, Callable[[random.Random], str]]] = [
    ("think-text", _think_with_text),
    ("chatter", _chatter),
    ("leaked-rules", _leaked_rules),
    ("leaked-input", _leaked_input_blob),
    ("leaked-imperative", _leaked_imperative),
    ("repetition", _repetition_loop),
    ("placeholder-table", _placeholder_table),
    ("invented-references", _invented_references),
    ("stray-rule", _stray_rule),
    ("junk-heading", _junk_heading),
]


# --- one record ----------------------------------------------------------------------------

def make_record(sample: Sample, target_bytes: int, rng: random.Random, uniform: bool = False) -> str:
    """A varied record built from `sample`, about `target_bytes` long (UTF-8).

    `uniform` keeps only each chapter's heading and fills the chapters with rebuilt
    paragraphs alone, so that records of different sizes are made of the same kind of text
    (for the size-scaling run: otherwise a small record is mostly the sample's own prose and
    a large one mostly rebuilt paragraphs, and the cost per byte of the two differs).
    """
    chapters = [c.split("\n\n") for c in sample.chapters]  # each chapter as a list of blocks
    if uniform:
        chapters = [c[:1] for c in chapters]
    rng.shuffle(chapters)
    for chapter in list(chapters):
        if rng.random() < 0.1:  # the pipeline generated a chapter twice
            chapters.insert(rng.randrange(len(chapters) + 1), list(chapter))
    chapters = [c for c in chapters if rng.random() >= 0.1] or chapters[:1]

    fixed = len((sample.header + sample.title_generation + sample.references).encode("utf-8"))
    _fit(chapters, target_bytes - fixed, sample.sentences, rng)

    for _ in range(rng.randint(2, 6)):  # debris inside chapters or as generations of its own
        _, make = rng.choice(DEBRIS)
        chapter = rng.choice(chapters)
        chapter.insert(rng.randrange(len(chapter) + 1), make(rng))
    if rng.random() < 0.2:
        _truncate(chapters[-1], rng)

    separator = "\n\n" + ("<think>\n\n</think>" if rng.random() < 0.8 else _think_with_text(rng)) + "\n\n"
    body = separator.join(["\n\n".join(c) for c in [[sample.title_generation], *chapters]])
    text = f"{sample.header}<think>\n\n</think>\n\n{body}\n\n{sample.references}\n"
    return _vary_surface(text, rng)


def _fit(chapters: list[list[str]], budget: int, sentences: list[str], rng: random.Random) -> None:
    """Drop chapters or blocks until under budget, then add rebuilt paragraphs up to it.

    At least MIN_CHAPTERS survive, shortened from the end, so that a small record still has
    chapters from its outline (a lone off-outline chapter would publish as an empty body).
    """
    size = sum(len(b.encode("utf-8")) + 2 for c in chapters for b in c)
    while size > budget and len(chapters) > MIN_CHAPTERS:
        size -= sum(len(b.encode("utf-8")) + 2 for b in chapters.pop(rng.randrange(len(chapters))))
    while size > budget and any(len(c) > 2 for c in chapters):
        longest = max(chapters, key=len)
        size -= len(longest.pop().encode("utf-8")) + 2
    while size < budget and sentences:
        paragraph = "".join(rng.choice(sentences) for _ in range(rng.randint(3, 8)))
        target = rng.choice(chapters)
        target.insert(rng.randrange(1, len(target) + 1), paragraph)  # never before the heading
        size += len(paragraph.encode("utf-8")) + 2


def _truncate(chapter: list[str], rng: random.Random) -> None:
    """Cut the chapter's last prose block mid-sentence, as a generation that ran out of tokens."""
    for i in range(len(chapter) - 1, 0, -1):
        if _PROSE_LINE.match(chapter[i]) and len(chapter[i]) > 60:
            chapter[i] = chapter[i][: rng.randint(30, len(chapter[i]) - 10)].rstrip("。！？")
            del chapter[i + 1 :]
            return


def _vary_surface(text: str, rng: random.Random) -> str:
    if rng.random() < 0.1:
        text = re.sub(r"^UUID: .*\n", "", text, count=1, flags=re.M)
    if rng.random() < 0.9:
        text += "对话结束\n\n"
    if rng.random() < 0.1:
        text = text.replace("\n\n", "\n\n\n\n")
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
    if rng.random() < 0.1:
        text = "\ufeff" + text
    return text


# --- a corpus ------------------------------------------------------------------------------

def record_rng(seed: int, index: int) -> random.Random:
    # seeding with a string hashes it with SHA-512: the same in every run and on every machine
    return random.Random(f"publisher-bench:{seed}:{index}")


def sizes(n: int, seed: int, min_bytes: int, max_bytes: int) -> list[int]:
    """n sizes spread log-uniformly between the bounds (the smallest and largest included)."""
    rng = random.Random(f"publisher-bench-sizes:{seed}")
    lo, hi = math.log(min_bytes), math.log(max_bytes)
    chosen = [int(math.exp(rng.uniform(lo, hi))) for _ in range(n)]
    if n >= 2:
        chosen[0], chosen[-1] = min_bytes, max_bytes
    return chosen


def generate(n: int, seed: int, min_bytes: int = 10 * KB, max_bytes: int = 5 * KB * KB,
             samples: list[Sample] | None = None) -> Iterator[tuple[str, str]]:
    """(file name, record text) for n records."""
    pool = samples or load_samples()
    for index, size in enumerate(sizes(n, seed, min_bytes, max_bytes)):
        rng = record_rng(seed, index)
        sample = pool[rng.randrange(len(pool))]
        yield f"rec{index:04d}_{size // KB}k.txt", make_record(sample, size, rng)


def record_of_size(size: int, seed: int = 0, samples: list[Sample] | None = None) -> str:
    """One record of about `size` bytes, of uniform make (for the single-record, size-scaling
    and memory runs)."""
    pool = samples or load_samples()
    rng = record_rng(seed, size)
    return make_record(pool[0], size, rng, uniform=True)


def one_paragraph_record(size: int, seed: int = 0, samples: list[Sample] | None = None) -> str:
    """A record of about `size` bytes whose content is one paragraph without a space, a line
    break or a citation: the sample's sentences, shuffled and run together with their ASCII
    (spaces, Latin words, digits, citation marks) taken out: the longest run of text a record
    can bring, for the P4 run and the PDF writer's limits."""
    sample = (samples or load_samples())[0]
    rng = record_rng(seed, size)
    heading = sample.chapters[0].split("\n\n")[0]
    fixed = len((sample.header + sample.title_generation + heading + sample.references).encode("utf-8"))
    pieces, have = [], fixed
    while have < size:
        sentence = "".join(char for char in rng.choice(sample.sentences) if not char.isascii())
        pieces.append(sentence)
        have += len(sentence.encode("utf-8"))
    body = f"{sample.title_generation}\n\n{heading}\n\n{''.join(pieces)}"
    return f"{sample.header}<think>\n\n</think>\n\n{body}\n\n{sample.references}\n"


def write_corpus(folder: Path, n: int, seed: int, min_bytes: int = 10 * KB,
                 max_bytes: int = 5 * KB * KB) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in generate(n, seed, min_bytes, max_bytes):
        path = folder / name
        # newline="" keeps the CRLF records CRLF
        path.write_text(text, encoding="utf-8", newline="")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.splitlines()[0])
    p.add_argument("folder", type=Path)
    p.add_argument("-n", type=int, default=200, help="number of records (default: 200)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--min-kb", type=int, default=10)
    p.add_argument("--max-kb", type=int, default=5 * 1024)
    args = p.parse_args(argv)
    paths = write_corpus(args.folder, args.n, args.seed, args.min_kb * KB, args.max_kb * KB)
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} records, {total / KB / KB:.1f} MB, to {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
