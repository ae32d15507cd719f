"""Turn raw chat text into tokens the rules can read: normalised words, lemmas, sentences and clauses.

The project's spaCy pipeline has a tokenizer and a lookup lemmatizer but no tagger or parser, so clause
structure comes from punctuation and connector words ("when", "because", "and"). Every token gets:
  * a NORM: lowercase, curly apostrophes straightened, texting spellings fixed ("u" -> "you", "cuz" ->
    "because"), contractions expanded as spaCy splits them ("ca"+"n't" -> "can"+"not", "i"+"m" -> "i"+"am");
  * a LEMMA looked up from that NORM in the pipeline's own table, so "You" and "u" both have lemma "you".
Both are written onto the spaCy tokens, so spaCy's Matcher and PhraseMatcher can match on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from bot.coach.lexicon import load as load_lexicon
from bot.nlp import load as load_pipeline

if TYPE_CHECKING:
    from spacy.lookups import Table
    from spacy.tokens import Doc

# One-for-one character swaps, so offsets in the normalised text are offsets in the original.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
_SENTENCE_END = re.compile(r"^[.!?\u2026]+$")
_CLAUSE_PUNCT = {",", ";", ":", "-", "--", "\u2014", "\u2013", "(", ")", "/"}
_LONG_RUN = re.compile(r"(\w)\1{2,}")
# spaCy splits "he's", "it's", "what's" into a word and "'s"/"s"; after these words it means "is".
_IS_AFTER = {"he", "she", "it", "that", "what", "there", "who", "where", "how", "here", "this"}
_CONTRACTIONS = {"'d": "would", "d": "would", "'ve": "have", "ve": "have", "'ll": "will", "ll": "will"}
# Clause openers that only open a clause when a subject follows ("so you...", not "so lazy").
_NEEDS_SUBJECT = {"so", "as", "that", "once"}
# Words that can open a clause's subject ("when YOU left", "because THE dishes ...").
SUBJECT_WORDS = {
    "i", "you", "we", "he", "she", "they", "it", "my", "your", "our", "his", "her", "their", "the", "this",
    "there", "people", "everyone", "nobody",
}


@dataclass(frozen=True)
class Parsed:
    """A sentence read by the coach: the spaCy Doc plus per-token structure the rules need."""

    text: str  # exactly what the person typed
    doc: Doc
    norms: tuple[str, ...]
    lemmas: tuple[str, ...]
    sentence: tuple[int, ...]  # sentence number of each token
    # per token: first token of its clause (a connector belongs to the clause it opens), one past the clause's
    # last word (trailing punctuation excluded), and what opened the clause: "start", "," or the connector
    clause_start: tuple[int, ...]
    clause_end: tuple[int, ...]
    opener: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.norms)

    def is_punct(self, i: int) -> bool:
        """True for punctuation and whitespace tokens."""
        token = self.doc[i]
        return token.is_punct or token.is_space

    def chars(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets of tokens start..end-1 in `text`."""
        last = self.doc[end - 1]
        return self.doc[start].idx, last.idx + len(last.text)

    def span(self, start: int, end: int) -> str:
        """The original characters of tokens start..end-1."""
        begin, finish = self.chars(start, end)
        return self.text[begin:finish]

    def sentence_end(self, i: int) -> int:
        """One past the last word of token i's sentence (final punctuation excluded)."""
        j = i
        while j < len(self) and self.sentence[j] == self.sentence[i]:
            j += 1
        while j > i and self.is_punct(j - 1):
            j -= 1
        return j

    def sentence_start(self, i: int) -> int:
        """First token of token i's sentence."""
        j = i
        while j > 0 and self.sentence[j - 1] == self.sentence[i]:
            j -= 1
        return j


def _squeeze(word: str) -> str:
    """'soooo' -> 'soo', 'neverrrr' -> 'neverr': long runs of one letter become two (then spellings apply)."""
    return _LONG_RUN.sub(r"\1\1", word)


@cache
def _lemma_table() -> Table:
    """The pipeline's lemma lookup table (keys are hashed, so use .get and `in` with strings)."""
    return load_pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


def _normalise(words: list[str], base_norms: list[str]) -> list[str]:
    """Per-token NORM: spaCy's norm, squeezed, texting spellings fixed, contractions resolved by context."""
    spellings = load_lexicon().language["spellings"]
    norms: list[str] = []
    for i, base in enumerate(base_norms):
        norm = spellings.get(_squeeze(base), _squeeze(base))
        prev = norms[i - 1] if i else ""
        if norm in {"m", "'m"} and prev == "i":
            norm = "am"
        elif norm in {"s", "'s"} and prev in _IS_AFTER:
            norm = "is"
        elif norm == "re" and prev in {"you", "we", "they"}:
            norm = "are"
        elif norm in _CONTRACTIONS and prev in {"i", "you", "we", "they", "he", "she", "it"}:
            norm = _CONTRACTIONS[norm]
        elif norm == "y" and (i == 0 or _SENTENCE_END.match(words[i - 1])):
            norm = "why"
        elif norm.endswith("in") and norm + "g" in _lemma_table():  # "feelin" -> "feeling"
            norm += "g"
        norms.append(norm)
    return norms


def _structure(parsed_norms: list[str], doc: Doc) -> tuple[list[int], list[int], list[int], list[str]]:
    """Per token: sentence number, clause start, clause end and clause opener, from punctuation and
    connector words."""
    language = load_lexicon().language
    connectors = set(language["subordinators"]) | set(language["coordinators"])
    sentence, starts, openers = [], [], []
    current_sentence, current_start, current_opener = 0, 0, "start"
    new_sentence, new_clause = False, False
    for i, norm in enumerate(parsed_norms):
        token = doc[i]
        if new_sentence and not (token.is_punct or token.is_space):
            current_sentence += 1
            current_start, current_opener = i, "start"
            new_sentence = new_clause = False
        elif new_clause and not (token.is_punct or token.is_space):
            current_start, current_opener = i, norm if norm in connectors else ","
            new_clause = False
        elif norm in connectors and i > current_start:
            nxt = parsed_norms[i + 1] if i + 1 < len(parsed_norms) else ""
            if norm not in _NEEDS_SUBJECT or nxt in SUBJECT_WORDS:
                current_start, current_opener = i, norm
        sentence.append(current_sentence)
        starts.append(current_start)
        openers.append(current_opener)
        if _SENTENCE_END.match(token.text) or "\n" in token.text:
            new_sentence = True
        elif token.text in _CLAUSE_PUNCT:
            new_clause = True
    return sentence, starts, _clause_ends(starts, doc), openers


def _clause_ends(starts: list[int], doc: Doc) -> list[int]:
    """For each token, one past the last word of its clause (trailing punctuation left out)."""
    ends = [0] * len(starts)
    i = 0
    while i < len(starts):
        j = i
        while j < len(starts) and starts[j] == starts[i]:
            j += 1
        end = j
        while end > i and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        ends[i:j] = [end] * (j - i)
        i = j
    return ends


def parse(text: str) -> Parsed:
    """Tokenise and annotate one message."""
    nlp = load_pipeline()
    doc = nlp.make_doc(text.translate(_QUOTES))
    words = [t.text for t in doc]
    norms = _normalise(words, [t.norm_.replace("\u2019", "'") for t in doc])
    table = _lemma_table()
    lemmas = [table.get(norm, norm) for norm in norms]
    for token, norm, lemma in zip(doc, norms, lemmas, strict=True):
        token.norm_ = norm
        token.lemma_ = lemma
    sentence, starts, ends, openers = _structure(norms, doc)
    return Parsed(
        text, doc, tuple(norms), tuple(lemmas), tuple(sentence), tuple(starts), tuple(ends), tuple(openers)
    )
