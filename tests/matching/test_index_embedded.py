"""What only the embedded index promises: its exact BM25 through updates, deletes and merges,
hybrid results against that exact formula, and the documents it is fed.

Behaviour every backend shares is in ``test_index_contract.py``.
"""

import numpy as np
import pytest

from matching.documents import (
    JobseekerDoc,
    PostingDoc,
    default_tokenize,
    jobseeker_tokens,
    posting_tokens,
)
from matching.index import EmbeddedIndex, PostingFilters, PostingQuery
from tests.matching.index_docs import NOW, brute_bm25, posting, random_corpus


async def loaded(*docs: PostingDoc | JobseekerDoc, offload: bool = False) -> EmbeddedIndex:
    index = EmbeddedIndex(offload=offload)
    await index.bulk_load(docs)
    return index


# --- exactness ----------------------------------------------------------------------------


async def test_bm25_is_exact_after_updates_deletes_and_merges() -> None:
    rng = np.random.default_rng(11)
    docs = {d.id: d for d in random_corpus(rng, 800)}
    index = await loaded(*docs.values())
    vocabulary = [f"w{i}" for i in range(70)]  # includes words new to the index
    for i in range(300):
        doc_id = f"p{int(rng.integers(0, 900))}"
        tokens = tuple(rng.choice(vocabulary, size=int(rng.integers(0, 10))))
        docs[doc_id] = posting(doc_id, tokens=tokens)
        await index.upsert_posting(docs[doc_id])
        if i % 3 == 0:
            gone = f"p{int(rng.integers(0, 900))}"
            assert await index.delete_posting(gone) is (gone in docs)
            docs.pop(gone, None)
    table = index._postings
    for phase in ("with changes pending", "after a merge"):
        if phase == "after a merge":
            table.terms.merge()
        assert await index.count_postings() == len(docs)
        for _ in range(10):
            query = tuple(rng.choice(vocabulary, size=3))
            truth = brute_bm25(list(docs.values()), query)
            found = await index.search_postings(
                PostingQuery(PostingFilters(now=NOW), tokens=query), limit=len(docs)
            )
            got = {c.id: c.lexical for c in found}
            assert set(got) == set(docs)
            for doc_id, score in truth.items():
                assert got[doc_id] == pytest.approx(score, rel=1e-5, abs=1e-6), phase


async def test_hybrid_returns_the_union_of_exact_top_lists() -> None:
    rng = np.random.default_rng(13)
    docs = random_corpus(rng, 1000)
    index = await loaded(*docs)
    q = rng.standard_normal(16)
    q /= np.linalg.norm(q)
    tokens = ("w1", "w2")
    found = await index.search_postings(
        PostingQuery(PostingFilters(now=NOW), tokens=tokens, vector=q), limit=1000
    )
    lexical = brute_bm25(docs, tokens)
    by_vector = sorted((d for d in docs if d.vector is not None), key=lambda d: -(d.vector @ q))
    by_text = sorted((d for d in docs if lexical[d.id] > 0), key=lambda d: -lexical[d.id])
    assert {c.id for c in found} == {d.id for d in by_vector} | {d.id for d in by_text}
    few = await index.search_postings(
        PostingQuery(PostingFilters(now=NOW), tokens=tokens, vector=q), limit=5
    )
    # reciprocal-rank fusion puts first what is first in both lists, or first in one of them
    assert few[0].id in {by_vector[0].id, by_text[0].id}
    assert len(few) == 5


def test_documents_are_frozen_tuples_with_unit_float32_vectors() -> None:
    doc = posting("p", skills=["氩弧焊"], vector=[3.0, 4.0])
    assert doc.skills == ("氩弧焊",)
    assert doc.vector is not None and doc.vector.dtype == np.float32
    np.testing.assert_allclose(doc.vector, [0.6, 0.8], rtol=1e-6)
    assert hash(doc) == hash(posting("p", skills=("氩弧焊",)))  # the vector is not compared
    with pytest.raises(ValueError, match="non-zero"):
        posting("p", vector=[0.0, 0.0])


def test_default_tokens_cover_title_and_skills() -> None:
    tokens = posting_tokens("招聘氩弧焊工（日结）", occupation_name="焊工", skills=["读图"])
    assert {"焊工", "读图"} <= set(tokens)
    assert "（" not in tokens and "）" not in tokens
    assert jobseeker_tokens(desired_titles=["电焊工"]) == tuple(default_tokenize("电焊工"))


def test_stored_documents_drop_the_vector_but_nothing_else() -> None:
    import dataclasses

    from matching.documents import JobseekerDoc
    from matching.index.table import without_vector

    vector = np.ones(4, dtype=np.float32) / 2
    person = JobseekerDoc(id="s1", skills=("叉车",), tokens=("叉车",), vector=vector)
    stored = without_vector(person)
    assert stored == dataclasses.replace(person, vector=None)
    assert stored.vector is None and np.array_equal(person.vector, vector)  # caller: untouched
    assert without_vector(stored) is stored
