"""Topics about research practice and beyond: evaluation, memory, AI for science."""

from __future__ import annotations

from paperreader.core.corpus.topic import Topic, phrases

EVALUATION = Topic(
    key="evaluation",
    name="Benchmarks and Evaluation",
    weight=2,
    subjects=phrases(
        "Benchmarks | LLM Evaluation | Evaluation Methodology | Benchmark Contamination"
        " | Automatic Evaluation"
    ),
    objects=phrases("language models | evaluation judges | frontier models"),
    tasks=phrases("model evaluation | benchmark design | automatic grading"),
    problems=phrases(
        "popular benchmarks are saturated and no longer separate strong models"
        " | test questions leak into pretraining data and inflate scores"
        " | model judges prefer long answers and answers from their own family"
    ),
    methods=phrases(
        "contamination detection | judge calibration | item response theory"
        " | dynamic benchmark generation | human evaluation protocols"
    ),
    mechanisms=phrases(
        "generates fresh test questions that cannot have appeared in training data"
        " | estimates question difficulty so that fewer questions are needed"
        " | corrects the systematic biases of model judges"
    ),
    datasets=phrases("FreshEval | HardQA-2K | JudgeBench-Lite | OpenArena"),
    metrics=phrases("agreement with human ratings | ranking stability | discriminative power"),
    keywords=phrases(
        "benchmarks | evaluation | contamination | model judges | human agreement"
        " | leaderboards | test sets | reproducibility"
    ),
    findings=phrases(
        "leaderboard rankings change substantially under small protocol changes"
        " | a few hundred well chosen questions rank models as well as thousands"
        " | contamination explains a large part of recent benchmark gains"
    ),
)

MEMORY = Topic(
    key="memory",
    name="Memory and Continual Learning",
    weight=1,
    subjects=phrases(
        "Continual Learning | Long-Term Memory | Knowledge Editing | Lifelong Agents"
        " | Catastrophic Forgetting"
    ),
    objects=phrases("language models | memory-augmented agents | continually trained models"),
    tasks=phrases("continual learning | knowledge editing | long-term conversation"),
    problems=phrases(
        "fine-tuning on new data erases previously learned skills"
        " | edited facts do not propagate to related questions"
        " | assistants forget user preferences across sessions"
    ),
    methods=phrases(
        "experience replay | parameter-efficient editing | external memory"
        " | low-rank adaptation | memory consolidation"
    ),
    mechanisms=phrases(
        "stores important experiences in an external memory and retrieves them when needed"
        " | updates a small set of parameters to change a single fact"
        " | replays a compact summary of earlier tasks during new training"
    ),
    datasets=phrases("EditFacts-10K | LongChat-Memory | StreamTasks | RecallSet"),
    metrics=phrases("retention | edit success rate | recall accuracy"),
    keywords=phrases(
        "continual learning | memory | catastrophic forgetting | knowledge editing | replay"
        " | low-rank adaptation | long-term memory | personalization"
    ),
    findings=phrases(
        "forgetting is mostly a problem of output alignment, not lost knowledge"
        " | a small replay buffer prevents most forgetting"
        " | explicit memory is more reliable than storing facts in weights"
    ),
)

SCIENCE = Topic(
    key="science",
    name="AI for Science",
    weight=1,
    subjects=phrases(
        "Protein Design | Molecular Generation | Scientific Discovery | Weather Forecasting"
        " | Materials Discovery"
    ),
    objects=phrases(
        "scientific foundation models | protein language models | molecular generators"
    ),
    tasks=phrases("protein structure prediction | molecule generation | weather forecasting"),
    problems=phrases(
        "experimental data is scarce and expensive to collect"
        " | generated molecules are often impossible to synthesize"
        " | models trained on simulations fail to generalize to real measurements"
    ),
    methods=phrases(
        "equivariant networks | protein language modeling | diffusion over molecular graphs"
        " | physics-informed training | active learning"
    ),
    mechanisms=phrases(
        "respects the symmetries of molecules by construction"
        " | proposes candidates and chooses which experiments to run next"
        " | combines learned predictions with known physical constraints"
    ),
    datasets=phrases("ProteinSet-40K | MolGen-Bench | ClimateGrid | CrystalBank"),
    metrics=phrases("prediction accuracy | validity rate | forecast skill"),
    keywords=phrases(
        "protein design | drug discovery | molecules | equivariance | scientific discovery"
        " | weather forecasting | materials | active learning"
    ),
    findings=phrases(
        "simple physical priors improve generalization beyond the training data"
        " | active learning reduces the number of needed experiments by a large factor"
        " | scale helps scientific models as it does language models"
    ),
)

RESEARCH_TOPICS = (EVALUATION, MEMORY, SCIENCE)
"""Topics about research practice and science, in a fixed order (generation depends on it)."""
