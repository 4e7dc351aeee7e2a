"""The Danish LIX counter against hand counts (shared/guides/plain-language.md § 1.1, § 2.1)."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from site_gen.lix import band, count_block, count_blocks, is_long, letters


def test_glostrup_worked_example_is_65():
    text = ("Glostrup Kommune vil sikre den fysiske tilgængelighed, så alle borgere har lige "
            "mulighed for at færdes og deltage i aktiviteter og derved udfolde deres potentiale.")
    count = count_block(text)
    assert (count.words, count.long_words, len(count.sentences)) == (25, 10, 1)
    assert count.rounded == 65


def test_two_sentence_rewrite_is_37_and_easy_read_15():
    count = count_block("Glostrup Kommune vil gøre det let at komme rundt for alle. "
                        "Alle borgere skal kunne deltage i aktiviteter.")
    assert (count.words, count.long_words, len(count.sentences)) == (18, 5, 2)
    assert count.rounded == 37
    easy = count_block("Kommunen vil gøre det let for dig at komme rundt. "
                       "Du skal kunne være med i det, der sker.")
    assert easy.rounded == 15


@pytest.mark.parametrize("text,words,long_words,sentences,lix", [
    ("Ring nu. Det er helt gratis for dig.", 8, 0, 2, 4),
    ("Mødet er den 1. januar 2024 kl. 10.00 på rådhuset.", 10, 1, 1, 20),
    ("Budgettet er 1.000.000 kr. i alt.", 6, 1, 1, 23),
    ("Læs mere på borger.dk eller skriv til post@glostrup.dk i dag.", 10, 0, 1, 10),
])
def test_guide_samples(text, words, long_words, sentences, lix):
    count = count_block(text)
    assert (count.words, count.long_words, len(count.sentences)) == (words, long_words, sentences)
    assert count.rounded == lix


def test_abbreviations_do_not_end_sentences_before_lower_case():
    count = count_block("Kommunen vil bl.a. hjælpe dig, jf. loven, dvs. med bolig.")
    assert len(count.sentences) == 1


def test_ordinal_before_capital_ends_the_sentence():
    # A paragraph number followed by a capital letter is the end of a sentence (§ 85. Kommunen ...)
    count = count_block("Hjælpen gives efter § 85. Kommunen vurderer behovet.")
    assert len(count.sentences) == 2


def test_colon_ends_a_sentence_and_block_end_closes_the_last():
    count = count_block("Du kan få hjælp til: bolig og job")
    assert [s.text for s in count.sentences] == ["Du kan få hjælp til:", "bolig og job"]


def test_headings_and_list_items_are_sentences_of_their_own():
    count = count_blocks(["Sådan søger du", "Du skal udfylde et skema.", "bolig", "job"])
    assert len(count.sentences) == 4


def test_long_words_count_letters_only():
    assert letters("BPA-ordningen") == 12 and is_long("BPA-ordningen")
    assert letters("FN's") == 3 and not is_long("FN's")
    assert not is_long("1.000.000") and not is_long("https://www.glostrup.dk/handicappolitik")


def test_list_marker_is_not_a_word():
    assert count_block("- Alle skal være med.").words == 4


@pytest.mark.parametrize("value,name", [(20, "meget let"), (24, "meget let"), (25, "let"),
                                         (40, "middel"), (45, "svær"), (55, "meget svær")])
def test_bands(value, name):
    assert band(value) == name


@given(st.text())
def test_counter_never_fails_and_is_deterministic(text):
    first, second = count_block(text), count_block(text)
    assert (first.words, first.long_words, first.rounded) == \
        (second.words, second.long_words, second.rounded)
    assert first.words == sum(len(s.words) for s in first.sentences)


# --- the fast counter against the rules read word by word -------------------------------

def reference_count(text: str):
    """count_block as plain-language.md § 1.5 reads, one word at a time: slow and obvious."""
    import re
    from site_gen.lix import ABBREVIATIONS, Sentence, _URL, _WORDLIKE

    def _ends_sentence(token, following):
        bare = token.rstrip("()[]\"'«»“”‘’„")
        if not bare.endswith((".", "!", "?", ":")):
            return False
        if bare.endswith((":", "!", "?")):
            return True
        core = bare.strip("()[]\"'«»“”‘’„,;").lower()
        is_abbreviation = core in ABBREVIATIONS or re.fullmatch(r"\d+\.", core) is not None \
            or re.fullmatch(r"(?:[a-zæøå]\.){2,}", core) is not None
        if _URL.match(core.rstrip(".")) and not bare.endswith("."):
            return False
        if not is_abbreviation:
            return True
        return following is None or bool(re.match(r"[\"'«“„(]*[A-ZÆØÅ]", following))

    text = text.replace("\u00a0", " ").replace("\u00ad", "")
    raw = re.sub(r"\s[–—]\s|[–—]", " ", text).split()
    if raw and re.match(r"^(?:[-•*→]|\d+[.)])$", raw[0]):
        raw = raw[1:]
    words = [token for token in raw if _WORDLIKE.search(token)]
    sentences, start = [], 0
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        if _ends_sentence(word, following):
            sentences.append(Sentence(words[start:index + 1]))
            start = index + 1
    if start < len(words):
        sentences.append(Sentence(words[start:]))
    return len(words), sum(1 for w in words if is_long(w)), [s.words for s in sentences]


DANISH_PIECES = ["Kommunen", "borgere", "handicappolitikken", "bl.a.", "jf.", "f.eks.", "nr.",
                 "§", "85.", "1.", "2)", "-", "•", "–", "—", "\u00a0", "\u00ad", "FN's",
                 "www.glostrup.dk", "post@herlev.dk", "https://x.dk/a", "1.000.000", "A.",
                 "www.x.dk.", "https://x.dk:", "mail@x.dk?", "ca.", "Stk.", "a.b.c.", "(jf.",
                 "(BPA).", "“Alle", "med.”", "hjælp:", "Hvorfor?", "Ja!", "...", ":", ".",
                 "selvbestemmelse,", "u.s.a.", "ÆØÅ", "ü", "Éa", "3,5", " ", " ", "\n", "\t",
                 "tilgængelighedsforbedringerne", "x" * 25 + ".", "ord-ord", "a/b", "i"]


@given(st.lists(st.sampled_from(DANISH_PIECES), max_size=40).map("".join) |
       st.lists(st.sampled_from(DANISH_PIECES), max_size=40).map(" ".join) |
       st.text(alphabet=st.sampled_from(list("abæøÅÉ.:!?,;-–()'\"«»“”0123456789 \u00a0@/")),
               max_size=60))
def test_fast_counter_agrees_with_the_word_by_word_rules(text):
    count = count_block(text)
    assert (count.words, count.long_words, [s.words for s in count.sentences]) == \
        reference_count(text)
