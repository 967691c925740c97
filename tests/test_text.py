from workrights.text import slug, split_blocks, split_sentences


def test_sentences_do_not_break_inside_citations() -> None:
    text = (
        "You get 12 workweeks (29 U.S.C. § 2612(a)(1)). Your employer must keep your health plan "
        "(29 U.S.C. § 2614(c)(1); 29 C.F.R. § 825.209). See e.g. Fact Sheet No. 28 for more."
    )
    assert split_sentences(text) == [
        "You get 12 workweeks (29 U.S.C. § 2612(a)(1)).",
        "Your employer must keep your health plan (29 U.S.C. § 2614(c)(1); 29 C.F.R. § 825.209).",
        "See e.g. Fact Sheet No. 28 for more.",
    ]


def test_list_items_and_paragraphs_are_separate_blocks() -> None:
    text = "Intro line\ncontinues here.\n\n- first item\n- second item\n\nLast."
    assert split_blocks(text) == ["Intro line continues here.", "- first item", "- second item", "Last."]


def test_slug() -> None:
    assert slug("Who is eligible?") == "who-is-eligible"
    assert slug("???") == "section"
