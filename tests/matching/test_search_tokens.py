"""The tokens postings and people are indexed and searched by."""

from __future__ import annotations

from matching.documents import default_tokenize, search_tokens


def test_a_short_query_word_meets_a_longer_title_word() -> None:
    tokens = search_tokens("氩弧焊工")
    assert "焊工" not in default_tokenize("氩弧焊工")  # what the bigrams are for
    assert {"氩弧焊", "弧焊", "焊工", "氩弧"} <= set(tokens)


def test_bigrams_that_are_words_already_are_not_repeated() -> None:
    tokens = search_tokens("焊工 焊工证")
    assert tokens.count("焊工") == default_tokenize("焊工 焊工证").count("焊工")


def test_pieces_are_cut_alone_whatever_separates_them() -> None:
    assert search_tokens("洗碗工\t服务员\n厨师") == search_tokens("洗碗工 服务员 厨师")
    assert search_tokens("洗碗工　服务员") == search_tokens("洗碗工 服务员")  # ideographic space
    assert search_tokens("  ") == [] and search_tokens("") == []


def test_remembered_pieces_give_the_same_tokens_again() -> None:
    first = search_tokens("叉车司机 C1驾照 叉车证")
    first.append("changed by the caller")
    assert search_tokens("叉车司机 C1驾照 叉车证") == first[:-1]
    assert "c1" in first  # folded like every token
