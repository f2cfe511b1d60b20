"""Topics about acting in the world: robotics, world models and planning, reinforcement learning."""

from __future__ import annotations

from paperreader.core.corpus.topic import Topic, phrases

ROBOTICS = Topic(
    key="robotics",
    name="Robotics",
    weight=2,
    subjects=phrases(
        "Robot Learning | Robotic Manipulation | Vision-Language-Action Models"
        " | Imitation Learning | Sim-to-Real Transfer"
    ),
    objects=phrases("robot policies | vision-language-action models | manipulation systems"),
    tasks=phrases("robotic manipulation | mobile manipulation | dexterous grasping"),
    problems=phrases(
        "robot policies trained on one embodiment rarely transfer to another"
        " | collecting robot demonstrations is slow and expensive"
        " | policies trained in simulation fail on real hardware"
    ),
    methods=phrases(
        "imitation learning | diffusion policies | sim-to-real transfer | action tokenization"
        " | cross-embodiment pretraining"
    ),
    mechanisms=phrases(
        "predicts action sequences from camera images and a language instruction"
        " | learns from human videos as well as robot demonstrations"
        " | randomizes simulated physics so policies survive the move to real hardware"
    ),
    datasets=phrases("GraspWorld | TableTop-100 | KitchenTasks | RoboDemos-5K"),
    metrics=phrases("success rate | grasp success | task completion"),
    keywords=phrases(
        "robotics | manipulation | imitation learning | embodiment | demonstrations"
        " | action prediction | simulation | grasping"
    ),
    findings=phrases(
        "diverse demonstrations matter more than their number"
        " | pretraining on many embodiments helps even on a single robot"
        " | language instructions improve generalization to unseen objects"
    ),
)

PLANNING = Topic(
    key="planning",
    name="World Models and Planning",
    weight=1,
    subjects=phrases(
        "World Models | Planning | Model-Based Control | Embodied Planning"
        " | Predictive World Models"
    ),
    objects=phrases("world models | planning agents | embodied agents"),
    tasks=phrases("long-horizon planning | navigation | model-based control"),
    problems=phrases(
        "learned world models accumulate errors over long rollouts"
        " | planning with large models is too slow for real-time control"
        " | agents fail to plan when goals require many intermediate steps"
    ),
    methods=phrases(
        "latent world modeling | model predictive control | tree search"
        " | goal-conditioned planning | video prediction"
    ),
    mechanisms=phrases(
        "imagines future outcomes in a learned latent space before acting"
        " | searches over candidate plans using a learned value estimate"
        " | predicts future observations and plans by comparing them with the goal"
    ),
    datasets=phrases("NavWorld | PlanSuite-30 | MazeRun | BlockStack"),
    metrics=phrases("success rate | plan quality | prediction accuracy"),
    keywords=phrases(
        "world models | planning | model-based reinforcement learning | latent dynamics"
        " | tree search | navigation | long-horizon tasks | embodied agents"
    ),
    findings=phrases(
        "short rollouts with replanning beat long open-loop plans"
        " | world models trained on video transfer to control with little extra data"
        " | planning helps most when the learned model is calibrated"
    ),
)

REINFORCEMENT = Topic(
    key="reinforcement",
    name="Reinforcement Learning",
    weight=2,
    subjects=phrases(
        "Reinforcement Learning | Policy Optimization | Offline Reinforcement Learning"
        " | Exploration | Reward Design"
    ),
    objects=phrases("reinforcement learning agents | policy networks | language model policies"),
    tasks=phrases(
        "policy optimization | offline reinforcement learning | sparse reward exploration"
    ),
    problems=phrases(
        "policy gradient training is unstable and sensitive to hyperparameters"
        " | rewards are sparse and arrive only at the end of long episodes"
        " | offline data rarely covers the states a new policy visits"
    ),
    methods=phrases(
        "group relative policy optimization | off-policy correction | intrinsic motivation"
        " | value function regularization | advantage normalization"
    ),
    mechanisms=phrases(
        "estimates advantages by comparing several samples for the same input"
        " | rewards the agent for visiting states it cannot yet predict"
        " | keeps the learned policy close to the data it was trained on"
    ),
    datasets=phrases("ControlSuite-Hard | SparseGrid | OfflineMix | ArcadeSet"),
    metrics=phrases("average return | sample efficiency | success rate"),
    keywords=phrases(
        "reinforcement learning | policy optimization | exploration | reward shaping"
        " | offline data | value functions | credit assignment | sample efficiency"
    ),
    findings=phrases(
        "simple baselines remain competitive when they are tuned carefully"
        " | exploration matters more than the choice of policy objective"
        " | stability depends mostly on how advantages are normalized"
    ),
)

EMBODIED_TOPICS = (ROBOTICS, PLANNING, REINFORCEMENT)
"""Topics about acting, in a fixed order (generation depends on it)."""
