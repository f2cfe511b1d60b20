"""Topics about what language models read and write: retrieval, code, languages, long inputs."""

from __future__ import annotations

from paperreader.core.corpus.topic import Topic, phrases

RETRIEVAL = Topic(
    key="retrieval",
    name="Retrieval",
    weight=2,
    subjects=phrases(
        "Retrieval-Augmented Generation | Dense Retrieval | Knowledge Grounding"
        " | Search-Augmented Reasoning | Query Rewriting"
    ),
    objects=phrases("retrieval-augmented models | search systems | question answering systems"),
    tasks=phrases(
        "open-domain question answering | multi-hop question answering | document ranking"
    ),
    problems=phrases(
        "retrieved passages are often relevant in topic but useless for the question"
        " | models ignore retrieved evidence when it conflicts with what they already believe"
        " | retrieval quality drops sharply on long and ambiguous queries"
    ),
    methods=phrases(
        "dense passage retrieval | query rewriting | evidence reranking | iterative retrieval"
        " | contrastive embedding training"
    ),
    mechanisms=phrases(
        "rewrites each query into focused subqueries before searching"
        " | retrieves evidence step by step as the reasoning unfolds"
        " | learns which retrieved passages actually support the final answer"
    ),
    datasets=phrases("MultiHop-QA | OpenFacts | PassageRank-2 | WikiTrail"),
    metrics=phrases("exact match | recall at ten | answer accuracy"),
    keywords=phrases(
        "retrieval-augmented generation | dense retrieval | reranking | embeddings"
        " | question answering | knowledge grounding | query expansion | citation accuracy"
    ),
    findings=phrases(
        "better retrieval helps only when the generator is trained to use it"
        " | a small reranker recovers most of the gains of a much larger retriever"
        " | retrieving less but more precisely often gives better answers"
    ),
)

CODE = Topic(
    key="code",
    name="Code Generation",
    weight=2,
    subjects=phrases(
        "Code Generation | Program Repair | Software Engineering Agents | Code Reasoning"
        " | Repository-Level Coding"
    ),
    objects=phrases("code language models | coding assistants | software agents"),
    tasks=phrases(
        "program synthesis | bug fixing | repository-level code completion | unit test generation"
    ),
    problems=phrases(
        "generated code often passes simple tests but fails on edge cases"
        " | models struggle to use context spread across many files"
        " | execution feedback is rarely used during training"
    ),
    methods=phrases(
        "execution-guided decoding | test-driven reinforcement learning | repository retrieval"
        " | self-debugging | program slicing"
    ),
    mechanisms=phrases(
        "runs candidate programs and uses the results to guide further generation"
        " | writes unit tests first and then repairs code until the tests pass"
        " | retrieves the most relevant files from the repository before editing"
    ),
    datasets=phrases("CodeTrials | RepoFix-500 | UnitCraft | PatchBench"),
    metrics=phrases("pass@1 | resolve rate | test pass rate"),
    keywords=phrases(
        "code generation | program repair | unit tests | execution feedback"
        " | software engineering | code completion | static analysis | repository context"
    ),
    findings=phrases(
        "execution feedback is more valuable than additional training data"
        " | most remaining failures involve understanding the repository rather than writing code"
        " | generated tests catch many bugs that human tests miss"
    ),
)

MULTILINGUAL = Topic(
    key="multilingual",
    name="Multilingual Models",
    weight=1,
    subjects=phrases(
        "Multilingual Models | Low-Resource Languages | Cross-Lingual Transfer"
        " | Machine Translation | Multilingual Evaluation"
    ),
    objects=phrases("multilingual language models | translation models | cross-lingual encoders"),
    tasks=phrases(
        "machine translation | cross-lingual transfer | low-resource language understanding"
    ),
    problems=phrases(
        "most training data covers a handful of high-resource languages"
        " | performance drops sharply for languages with little web text"
        " | tokenizers split low-resource languages into many more tokens than English"
    ),
    methods=phrases(
        "cross-lingual alignment | vocabulary extension | back-translation"
        " | language-balanced sampling | multilingual instruction tuning"
    ),
    mechanisms=phrases(
        "aligns representations across languages with a small parallel corpus"
        " | extends the vocabulary for underrepresented scripts without retraining from scratch"
        " | balances training data across languages with a temperature schedule"
    ),
    datasets=phrases("FloraMT | PolyglotQA | LowRes-40 | TransLingua"),
    metrics=phrases("translation quality | chrF | average accuracy"),
    keywords=phrases(
        "multilingual models | low-resource languages | machine translation"
        " | cross-lingual transfer | tokenization | parallel data | language coverage"
        " | code-switching"
    ),
    findings=phrases(
        "a small amount of parallel data unlocks most of the cross-lingual transfer"
        " | tokenizer quality explains much of the gap between languages"
        " | gains on low-resource languages need not hurt high-resource ones"
    ),
)

LONG_CONTEXT = Topic(
    key="long_context",
    name="Long Context",
    weight=2,
    subjects=phrases(
        "Long-Context Modeling | Context Extension | Efficient Attention"
        " | Long Document Understanding | Context Compression"
    ),
    objects=phrases("long-context language models | transformers | state space models"),
    tasks=phrases("long document question answering | needle retrieval | book summarization"),
    problems=phrases(
        "attention cost grows quadratically with sequence length"
        " | models lose track of information placed in the middle of long inputs"
        " | the key-value cache dominates memory when serving long contexts"
    ),
    methods=phrases(
        "sparse attention | positional interpolation | key-value cache compression"
        " | recurrent memory tokens | sliding window attention"
    ),
    mechanisms=phrases(
        "keeps only the most informative entries of the key-value cache"
        " | extends the context window by rescaling positional encodings"
        " | compresses earlier context into a fixed set of memory tokens"
    ),
    datasets=phrases("LongRead-128K | NeedleSet | BookSum-XL | ScrollQA"),
    metrics=phrases("retrieval accuracy | answer accuracy | throughput"),
    keywords=phrases(
        "long context | attention | key-value cache | positional encoding | context window"
        " | memory efficiency | state space models | sequence length"
    ),
    findings=phrases(
        "most of the context can be dropped with little loss in quality"
        " | position handling, not model capacity, limits long-context performance"
        " | context length matters less than how information is organized"
    ),
)

TEXT_TOPICS = (RETRIEVAL, CODE, MULTILINGUAL, LONG_CONTEXT)
"""Topics about text and code, in a fixed order (generation depends on it)."""
