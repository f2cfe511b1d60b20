"""Topic-independent words and phrases that fill the generic slots of the templates."""

from __future__ import annotations

from paperreader.core.corpus.topic import phrases, words

FUNCTION_WORDS = words(
    """
    a an the of and or to in on for with by from at as into over under than that which
    this these those it its we our they their them is are be been was were has have had
    can could may might should would will not no but yet while also only both each every
    all any more most less much many few such so when where how what whether there then
    """
)
"""Grammatical words; the templates use these and the vocabulary check allows them."""

NUMBER_WORDS = phrases("three | four | five | six | seven | eight | nine | ten | twelve")
"""How many benchmarks a result sentence counts ("Across five benchmarks ...")."""

TITLE_ADJECTIVES = phrases(
    "Robust | Efficient | Scalable | Faithful | Adaptive | Unified | Lightweight | Reliable"
    " | Principled | Data-Efficient | Self-Improving | Grounded | Interpretable"
    " | Generalizable | Fast | Simple"
)
"""Adjectives for titles ("Towards Faithful ...")."""

LIMITATIONS = phrases(
    "scales poorly to larger models | requires costly human annotation"
    " | is brittle under distribution shift | adds substantial cost at inference time"
    " | depends on carefully tuned hyperparameters | ignores the structure of the task"
    " | needs access to model weights | does not transfer across domains"
    " | treats all examples as equally important"
)
"""What is wrong with prior work; verb phrases that follow "which"."""

COMPONENTS = phrases(
    "a lightweight consistency loss | a curriculum over task difficulty | a small verifier model"
    " | an adaptive sampling schedule | a simple caching scheme | a learned gating module"
)
"""Parts a method adds ("we add a small verifier model that ...")."""

EFFECTS = phrases(
    "keeps updates close to the reference model | prevents collapse early in training"
    " | reduces redundant computation | focuses learning on the hardest examples"
    " | filters out noisy training signals"
)
"""What a component does; verb phrases in the third person singular."""

COSTS = phrases("inference cost | training compute | memory use | latency | annotation cost")
"""Costs a result sentence can say were reduced."""

GENERIC_FINDINGS = phrases(
    "each component contributes to the final gains | the improvements grow with model scale"
    " | the gains hold across model families and sizes"
    " | most of the improvement comes from the first few training steps"
    " | the method is robust to the choice of hyperparameters"
)
"""Findings that fit any topic (ablations and analysis)."""

RARE_TERMS = phrases(
    "heteroscedastic | submodular | isotonic | ergodic | lexicographic | hyperbolic"
    " | idempotent | quasiconvex | bilevel | minimax | ordinal | stratified | antithetic"
    " | barycentric | geodesic | tropical | wavelet | zonal | sheaf | symplectic"
)
"""Real but uncommon words, each in about 0.1% of abstracts and nowhere else in the data.

For benchmarks that need a rare search term (the old corpus used an invented word)."""
