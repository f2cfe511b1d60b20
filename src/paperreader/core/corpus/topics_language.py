"""Topics about how language models think and behave: reasoning, alignment, honesty, agents."""

from __future__ import annotations

from paperreader.core.corpus.topic import Topic, phrases

REASONING = Topic(
    key="reasoning",
    name="Reasoning",
    weight=4,
    subjects=phrases(
        "Mathematical Reasoning | Chain-of-Thought Reasoning | Multi-Step Reasoning"
        " | Efficient Reasoning | Test-Time Reasoning"
    ),
    objects=phrases("reasoning models | large language models | small language models"),
    tasks=phrases(
        "multi-step math reasoning | competition mathematics | logical deduction | theorem proving"
    ),
    problems=phrases(
        "long reasoning chains often contain redundant or circular steps"
        " | models frequently reach correct answers through flawed intermediate steps"
        " | spending more compute at test time yields quickly diminishing returns"
        " | reasoning traces grow far longer than the problems require"
    ),
    methods=phrases(
        "process reward modeling | self-consistency decoding | adaptive test-time scaling"
        " | reinforcement learning from verifiable rewards | step-level verification"
        " | reasoning trace compression"
    ),
    mechanisms=phrases(
        "rewards each intermediate step instead of only the final answer"
        " | decides how much reasoning a problem needs before answering"
        " | prunes unpromising reasoning branches early during search"
        " | learns to verify its own partial solutions"
    ),
    datasets=phrases("MathStep-8K | ProofTrail | OlympiadSet | LogicGrid-2K | StepCheck-500"),
    metrics=phrases("pass@1 accuracy | exact match accuracy | solve rate"),
    keywords=phrases(
        "chain-of-thought | test-time compute | process reward models | self-verification"
        " | mathematical reasoning | reinforcement learning | overthinking | verifiable rewards"
    ),
    findings=phrases(
        "shorter reasoning traces can be more accurate than longer ones"
        " | verification is a more reliable use of extra compute than longer sampling"
        " | much of the benefit of long reasoning comes from a few key steps"
    ),
)

ALIGNMENT = Topic(
    key="alignment",
    name="Alignment",
    weight=2,
    subjects=phrases(
        "Preference Alignment | Human Feedback | Reward Hacking | Preference Optimization"
        " | Value Alignment"
    ),
    objects=phrases("chat models | aligned language models | instruction-tuned models"),
    tasks=phrases("preference alignment | instruction following | multi-turn dialogue"),
    problems=phrases(
        "reward models are easily exploited by policies that learn superficial shortcuts"
        " | human preference data is expensive to collect and often inconsistent"
        " | aligned models tend to become verbose without becoming more helpful"
    ),
    methods=phrases(
        "direct preference optimization | reinforcement learning from human feedback"
        " | reward model ensembling | constitutional self-critique | on-policy preference sampling"
        " | length-controlled reward shaping"
    ),
    mechanisms=phrases(
        "learns directly from pairwise preferences without a separate reward model"
        " | penalizes responses that exploit known weaknesses of the reward model"
        " | generates its own critiques and revises responses before training on them"
        " | weights each preference pair by the agreement among annotators"
    ),
    datasets=phrases("PrefPairs-60K | HelpfulChat | DialogJudge | FeedbackBank"),
    metrics=phrases("win rate | length-controlled win rate | preference accuracy"),
    keywords=phrases(
        "preference optimization | reward modeling | human feedback | reward hacking"
        " | instruction tuning | policy optimization | length bias | synthetic preferences"
    ),
    findings=phrases(
        "much of the apparent gain from alignment comes from longer answers"
        " | a small amount of high quality feedback is worth more than a large noisy set"
        " | on-policy data matters more than the choice of objective"
    ),
)

HONESTY = Topic(
    key="honesty",
    name="Honesty",
    weight=1,
    subjects=phrases(
        "Honesty | Model Honesty | Honesty Under Pressure | Calibrated Honesty"
        " | Honesty and Sycophancy"
    ),
    objects=phrases("chat assistants | language models | conversational agents"),
    tasks=phrases("truthful question answering | uncertainty estimation | fact checking"),
    problems=phrases(
        "models often state falsehoods with high confidence"
        " | assistants tend to agree with users even when the user is wrong"
        " | stated confidence rarely matches the actual chance of being correct"
        " | models sometimes know the right answer but report a different one"
    ),
    methods=phrases(
        "activation steering | confidence probing | honesty fine-tuning | consistency checking"
        " | uncertainty-aware decoding"
    ),
    mechanisms=phrases(
        "reads truthfulness signals from hidden states and steers generation toward them"
        " | trains the model to say when it does not know the answer"
        " | compares answers across paraphrased questions to detect dishonest responses"
        " | aligns verbal confidence with the probability of being correct"
    ),
    datasets=phrases("HonestQA | TruthProbe-3K | SycophancyEval | CandorBench"),
    metrics=phrases("calibration | truthfulness rate | abstention accuracy"),
    keywords=phrases(
        "honesty | sycophancy | calibration | truthfulness | uncertainty estimation"
        " | hallucination | refusal | linear probes"
    ),
    findings=phrases(
        "honesty and helpfulness need not trade off against each other"
        " | models often encode the truth internally even when they state a falsehood"
        " | sycophancy grows with model size unless it is trained away"
    ),
)

SAFETY = Topic(
    key="safety",
    name="Safety",
    weight=1,
    subjects=phrases(
        "Jailbreak Robustness | Red Teaming | Safety Alignment | Harmful Content Detection"
        " | Adversarial Prompting"
    ),
    objects=phrases("frontier language models | safety classifiers | open-weight models"),
    tasks=phrases("jailbreak defense | automated red teaming | harmful request detection"),
    problems=phrases(
        "simple rephrasings can bypass the safety training of current models"
        " | safety filters refuse many harmless requests while missing harmful ones"
        " | fine-tuning on a few examples can undo safety alignment"
    ),
    methods=phrases(
        "adversarial training | automated red teaming | refusal direction ablation"
        " | safety reward modeling | input filtering"
    ),
    mechanisms=phrases(
        "searches for adversarial prompts with a second model and trains against them"
        " | detects harmful intent from internal activations before any text is produced"
        " | keeps safety behavior stable during later fine-tuning"
    ),
    datasets=phrases("RedTeam-10K | HarmScope | JailbreakSuite | RefusalBench"),
    metrics=phrases("robust accuracy | refusal accuracy | safety score"),
    keywords=phrases(
        "jailbreaks | red teaming | adversarial attacks | refusal | safety alignment"
        " | harmful content | over-refusal | guardrails"
    ),
    findings=phrases(
        "robustness to one family of attacks transfers poorly to others"
        " | most jailbreaks share a small number of internal directions"
        " | safety and helpfulness can be balanced with careful data selection"
    ),
)

AGENTS = Topic(
    key="agents",
    name="Agents",
    weight=3,
    subjects=phrases(
        "LLM Agents | Tool Use | Web Agents | Multi-Agent Collaboration | Computer Use Agents"
    ),
    objects=phrases("language agents | web agents | tool-using assistants"),
    tasks=phrases("web navigation | tool use | long-horizon task completion | software automation"),
    problems=phrases(
        "agents fail on long tasks because small errors compound over many steps"
        " | tool calls are often made with wrong arguments or at the wrong time"
        " | agents rarely recover once they have taken a wrong action"
    ),
    methods=phrases(
        "reflective planning | trajectory-level reinforcement learning | tool-augmented prompting"
        " | hierarchical task decomposition | self-play with environment feedback"
    ),
    mechanisms=phrases(
        "breaks each task into subgoals and checks progress after every action"
        " | learns from its own failed trajectories without human labels"
        " | decides when to call a tool and how to recover from a failed call"
    ),
    datasets=phrases("WebTasks-1K | ToolChain | OfficeSim | ShopWorld"),
    metrics=phrases("task success rate | step accuracy | completion rate"),
    keywords=phrases(
        "language agents | tool use | web navigation | function calling | multi-agent systems"
        " | trajectories | environment feedback | task planning"
    ),
    findings=phrases(
        "error recovery matters more than raw planning ability"
        " | small open models can rival much larger agents when trained on their own trajectories"
        " | most agent failures come from a handful of recurring mistakes"
    ),
)

LANGUAGE_TOPICS = (REASONING, ALIGNMENT, HONESTY, SAFETY, AGENTS)
"""Topics about model behaviour, in a fixed order (generation depends on it)."""
