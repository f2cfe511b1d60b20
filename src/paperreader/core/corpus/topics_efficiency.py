"""Topics about doing more with less: sparse experts, quantization, distillation and data."""

from __future__ import annotations

from paperreader.core.corpus.topic import Topic, phrases

SPARSE_EXPERTS = Topic(
    key="sparse_experts",
    name="Sparse Experts",
    weight=1,
    subjects=phrases(
        "Mixture of Experts | Sparse Experts | Expert Routing | Conditional Computation"
        " | Sparse Scaling"
    ),
    objects=phrases("mixture-of-experts models | sparse transformers | expert networks"),
    tasks=phrases("language modeling | efficient pretraining | expert routing"),
    problems=phrases(
        "routers send most tokens to a few experts and leave the rest idle"
        " | sparse models are hard to serve because all experts must stay in memory"
        " | training becomes unstable as the number of experts grows"
    ),
    methods=phrases(
        "token routing | expert parallelism | load-balancing losses | fine-grained experts"
        " | expert merging"
    ),
    mechanisms=phrases(
        "routes each token to a small set of specialized experts"
        " | balances expert load without an auxiliary loss"
        " | merges rarely used experts to cut memory at inference time"
    ),
    datasets=phrases("PileMix | OpenWeb-300B | CodeText-50B | MathCorpus"),
    metrics=phrases("downstream accuracy | training throughput | tokens per second"),
    keywords=phrases(
        "mixture of experts | sparse models | routing | load balancing"
        " | expert specialization | pretraining | conditional computation | scaling laws"
    ),
    findings=phrases(
        "expert specialization emerges early and stays stable during training"
        " | many small experts outperform a few large ones at equal compute"
        " | routing decisions are surprisingly consistent across languages"
    ),
)

QUANTIZATION = Topic(
    key="quantization",
    name="Quantization and Efficient Inference",
    weight=2,
    subjects=phrases(
        "Quantization | Efficient Inference | Low-Bit Models | Speculative Decoding"
        " | Model Compression"
    ),
    objects=phrases("quantized language models | inference engines | compressed models"),
    tasks=phrases("low-bit inference | efficient serving | on-device deployment"),
    problems=phrases(
        "quantizing below four bits causes large drops in accuracy"
        " | a few outlier features make uniform quantization inaccurate"
        " | autoregressive decoding leaves most of the hardware idle"
    ),
    methods=phrases(
        "weight quantization | speculative decoding | outlier smoothing | structured pruning"
        " | mixed-precision kernels"
    ),
    mechanisms=phrases(
        "rotates weights so that outliers are spread evenly before quantization"
        " | drafts several tokens with a small model and verifies them in parallel"
        " | assigns higher precision only to the most sensitive layers"
    ),
    datasets=phrases("ServeBench | EdgeEval | QuantSuite | LatencyLab"),
    metrics=phrases("accuracy retention | decoding speed | throughput"),
    keywords=phrases(
        "quantization | efficient inference | speculative decoding | pruning | low-bit weights"
        " | outliers | hardware efficiency | memory footprint"
    ),
    findings=phrases(
        "four-bit models can match full precision with careful calibration"
        " | memory bandwidth, not compute, limits decoding speed"
        " | speculative decoding gains depend strongly on the draft model"
    ),
)

DISTILLATION = Topic(
    key="distillation",
    name="Distillation and Data",
    weight=2,
    subjects=phrases(
        "Knowledge Distillation | Small Language Models | Data Curation | Synthetic Data"
        " | Efficient Pretraining"
    ),
    objects=phrases("small language models | student models | compact models"),
    tasks=phrases("knowledge distillation | data selection | efficient pretraining"),
    problems=phrases(
        "small models trained on web data lag far behind larger models"
        " | synthetic training data tends to collapse toward a narrow style"
        " | distilled students copy the mistakes of their teachers"
    ),
    methods=phrases(
        "knowledge distillation | data filtering | synthetic data generation"
        " | curriculum learning | teacher ensembling"
    ),
    mechanisms=phrases(
        "selects training examples that a small proxy model finds most informative"
        " | generates diverse synthetic data and filters it with a verifier"
        " | transfers the reasoning traces of a large teacher to a compact student"
    ),
    datasets=phrases("TinyText | CuratedWeb-1T | SynthMix | TextbookSet"),
    metrics=phrases("downstream accuracy | average benchmark score | data efficiency"),
    keywords=phrases(
        "knowledge distillation | small models | data quality | synthetic data"
        " | data filtering | curriculum learning | teacher models | pretraining data"
    ),
    findings=phrases(
        "data quality can substitute for a large share of model size"
        " | students can surpass their teachers when trained on filtered outputs"
        " | diversity of synthetic data matters more than its volume"
    ),
)

EFFICIENCY_TOPICS = (SPARSE_EXPERTS, QUANTIZATION, DISTILLATION)
"""Topics about efficiency, in a fixed order (generation depends on it)."""
