"""Title and sentence templates, filled with ``str.format`` slots by the generator.

Abstract slots: ``system`` (a name such as "Lantern-7B"), ``base`` (its bare word),
``method``, ``a_method`` (with its article), ``method2``, ``baseline``, ``task``, ``task2``,
``objects``, ``problem``, ``problem2``, ``mechanism``, ``mechanism2``, ``dataset``,
``dataset2``, ``metric``, ``keyword``, ``keyword2``, ``finding``, ``finding2`` (from the
main topic); ``sec_task``, ``sec_keyword``, ``sec_finding`` (from the secondary topic);
``limitation``, ``component``, ``effect``, ``cost``, ``generic_finding``, ``rare`` (generic);
``gain``, ``score``, ``speedup`` (``gain2`` ... for a second result), ``count``, ``n_bench``
(numbers). The generator capitalises the first letter of each sentence. Title slots are
Title Case: ``System``, ``Subject``, ``Subject2``, ``Method``, ``Task``, ``Objects``, ``Adj``.
"""

from __future__ import annotations

TITLES = (
    "{System}: {Method} for {Task}",
    "{System}: Towards {Adj} {Subject}",
    "Towards {Adj} {Subject} via {Method}",
    "{Subject} via {Method}",
    "{Adj} {Subject} with {Method}",
    "Rethinking {Subject} in {Objects}",
    "Scaling {Method} for {Subject}",
    "{System}: A Benchmark for {Subject} in {Objects}",
    "Do {Objects} Really Need {Method}?",
    "On the Limits of {Subject} in {Objects}",
    "Beyond {Method}: {Adj} {Subject} for {Objects}",
    "Understanding {Subject} through {Method}",
    "{System}: {Adj} {Task} with {Method}",
    "{Adj} {Subject} without Human Labels",
    "What Makes {Subject} Work? An Empirical Study of {Objects}",
    "{System}: Improving {Subject} in {Objects} with {Method}",
)
"""Title shapes for a paper with one topic."""

PAIR_TITLES = (
    "When {Subject} Meets {Subject2}",
    "{System}: Bridging {Subject} and {Subject2}",
    "From {Subject} to {Subject2}: A Unified View",
    "{Subject} for {Subject2} via {Method}",
)
"""Title shapes naming the secondary topic too."""

PROBLEM = (
    "Despite rapid progress in {task}, {problem}.",
    "{task} remains difficult for current {objects}, because {problem}.",
    "Recent studies show that {problem}.",
    "A central challenge for {objects} is that {problem}.",
    "{objects} have become remarkably capable at {task}, yet {problem}.",
    "As {objects} are deployed more widely, it is becoming clear that {problem}.",
)
CONTEXT = (
    "This limits how reliably {objects} can be used in practice.",
    "Solving it matters for deploying {objects} in real applications.",
    "Addressing it requires methods that are both effective and cheap to run.",
    "The problem becomes more pressing as models and datasets continue to grow.",
)
GAP = (
    "Existing approaches rely on {baseline}, which {limitation}.",
    "Prior work has mostly addressed this with {baseline}, an approach that {limitation}.",
    "Methods based on {baseline} help, but {problem2}.",
)
METHOD = (
    "We propose {system}, {a_method} approach that {mechanism}.",
    "In this work, we introduce {system}, a simple framework that {mechanism}.",
    "To address this, we present {system}, which {mechanism}.",
    "We introduce {system}, a method built on {method} that {mechanism}.",
    "This paper presents {system}, {a_method} framework that {mechanism}.",
)
DETAIL = (
    "Unlike previous methods, {system} also {mechanism2}.",
    "In addition, {system} {mechanism2}, which makes it practical for {task2}.",
    "To keep training stable, we add {component} that {effect}.",
    "The approach combines {method} with {method2} and requires no additional human labels.",
    "Our design is modular and can be added to existing {objects} without retraining them.",
    "{system} is trained on publicly available data and adds little overhead at inference time.",
)
KEYWORD = (
    "Our analysis focuses on {keyword} and {keyword2}, two aspects that standard evaluations"
    " often overlook.",
    "We pay particular attention to {keyword}, which prior work has largely ignored.",
    "Along the way, we study the interplay between {keyword} and {keyword2}.",
)
SECONDARY = (
    "We further apply {system} to {sec_task} and find that {sec_finding}.",
    "Our experiments also connect {keyword} with {sec_keyword}, a link that has received"
    " little attention.",
    "The same idea extends naturally to {sec_task}, where it gives consistent gains.",
)
DATA = (
    "We also release {base}-Bench, a benchmark of {count} examples for {task}.",
    "To support evaluation, we construct a new dataset of {count} annotated examples covering"
    " {task} and {task2}.",
)
RESULT = (
    "Experiments on {dataset} and {dataset2} show that {system} improves {metric} by {gain}"
    " points over strong baselines.",
    "On {dataset}, {system} reaches a {metric} of {score}, outperforming {baseline} by {gain}"
    " points.",
    "{system} reduces {cost} by {speedup}x while matching the {metric} of much larger models.",
    "Across {n_bench} benchmarks, our method improves {metric} by an average of {gain}%.",
    "Compared with {baseline}, {system} achieves higher {metric} on {dataset} at {speedup}x"
    " lower {cost}.",
)
ANALYSIS = (
    "Ablation studies show that {generic_finding}.",
    "Further analysis reveals that {finding2}.",
    "We find that {finding2}, and that {generic_finding}.",
)
CLAIM = (
    "These results suggest that {finding}.",
    "Our findings indicate that {finding}.",
    "Overall, our results show that {finding}.",
)
CLOSING = (
    "Code, data and models are publicly available.",
    "We release our code and data to support future research on {task}.",
)
RARE = ("An appendix discusses {rare} extensions of the objective.",)
"""Each tuple above is one role in an abstract; the generator picks and orders them."""

AI_SUMMARY = (
    "{system}, {a_method} approach, {mechanism} and improves {metric} on {dataset}.",
    "A new framework, {system}, uses {method} to improve {task} and outperforms {baseline}"
    " on {dataset}.",
    "{system} {mechanism}, achieving higher {metric} than existing methods on {dataset}"
    " and {dataset2}.",
    "The paper introduces {system}, which combines {method} and {method2} to make {task}"
    " more reliable.",
)
"""One-sentence machine summaries (``ai_summary``), written from the same slots."""
