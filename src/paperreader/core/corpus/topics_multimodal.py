"""Topics that mix modalities: video, vision-language models and speech."""

from __future__ import annotations

from paperreader.core.corpus.topic import Topic, phrases

VIDEO = Topic(
    key="video",
    name="Video",
    weight=2,
    subjects=phrases(
        "Video Generation | Video Understanding | Temporal Consistency | Video Language Models"
        " | Long Video Reasoning"
    ),
    objects=phrases("video diffusion models | video language models | video generators"),
    tasks=phrases("text-to-video generation | video question answering | temporal grounding"),
    problems=phrases(
        "generated videos drift and flicker over longer clips"
        " | video models miss events that unfold over minutes rather than seconds"
        " | processing every frame of a long video is prohibitively expensive"
    ),
    methods=phrases(
        "spatiotemporal attention | keyframe selection | motion-aware guidance"
        " | autoregressive video diffusion | token merging"
    ),
    mechanisms=phrases(
        "selects a small set of informative frames before answering a question"
        " | generates long videos chunk by chunk while keeping a shared memory of the scene"
        " | merges redundant visual tokens across neighboring frames"
    ),
    datasets=phrases("ClipQA-20K | MotionSet | LongVid-Eval | ActionStory"),
    metrics=phrases("temporal consistency | answer accuracy | motion quality"),
    keywords=phrases(
        "video generation | video understanding | temporal reasoning | motion | keyframes"
        " | frame sampling | video diffusion | long videos"
    ),
    findings=phrases(
        "a few keyframes carry most of the information needed to answer questions"
        " | temporal consistency improves when motion is modeled separately from appearance"
        " | longer videos expose failures that short benchmarks hide"
    ),
)

VISION_LANGUAGE = Topic(
    key="vision_language",
    name="Vision-Language Models",
    weight=3,
    subjects=phrases(
        "Vision-Language Models | Multimodal Reasoning | Visual Grounding"
        " | Multimodal Instruction Tuning | Chart Understanding"
    ),
    objects=phrases("vision-language models | multimodal language models | multimodal assistants"),
    tasks=phrases("visual question answering | chart understanding | visual grounding"),
    problems=phrases(
        "multimodal models often answer from language priors and ignore the image"
        " | fine visual details are lost when images are compressed into few tokens"
        " | models describe objects that are not present in the image"
    ),
    methods=phrases(
        "visual instruction tuning | dynamic resolution encoding | region-level grounding"
        " | multimodal chain-of-thought | visual token pruning"
    ),
    mechanisms=phrases(
        "encodes images at the resolution each question requires"
        " | grounds every claim in a specific region of the image"
        " | prunes visual tokens that contribute little to the answer"
    ),
    datasets=phrases("ChartLens | VisionQA-Pro | GroundIt | SceneText-VQA"),
    metrics=phrases("answer accuracy | grounding accuracy | faithfulness"),
    keywords=phrases(
        "vision-language models | multimodal reasoning | visual grounding"
        " | object hallucination | visual tokens | image resolution | instruction tuning | charts"
    ),
    findings=phrases(
        "many multimodal benchmarks can be solved without looking at the image"
        " | resolution matters more than the size of the language model"
        " | grounded answers are both more accurate and easier to verify"
    ),
)

SPEECH = Topic(
    key="speech",
    name="Speech",
    weight=1,
    subjects=phrases(
        "Speech Recognition | Speech Synthesis | Spoken Language Models | Voice Conversion"
        " | Audio Understanding"
    ),
    objects=phrases("speech models | spoken dialogue systems | audio language models"),
    tasks=phrases("speech recognition | text-to-speech synthesis | spoken question answering"),
    problems=phrases(
        "recognition accuracy drops sharply for accented and noisy speech"
        " | synthesized speech sounds natural but lacks expressive prosody"
        " | spoken dialogue systems respond too slowly for natural conversation"
    ),
    methods=phrases(
        "discrete speech tokens | streaming decoding | self-supervised speech pretraining"
        " | prosody modeling | audio codec language modeling"
    ),
    mechanisms=phrases(
        "represents speech as discrete tokens that a language model can predict"
        " | starts speaking before the user has finished the sentence"
        " | models prosody separately from content to control expressiveness"
    ),
    datasets=phrases("AccentSpeech | VoiceBank-2 | SpokenQA | ClearTalk-1K"),
    metrics=phrases("recognition accuracy | naturalness score | speaker similarity"),
    keywords=phrases(
        "speech recognition | text-to-speech | audio tokens | prosody | spoken dialogue"
        " | speech codecs | streaming | noise robustness"
    ),
    findings=phrases(
        "discrete tokens preserve enough detail for high quality synthesis"
        " | latency, not accuracy, limits the quality of spoken conversation"
        " | robustness to accents improves most from diverse unlabeled speech"
    ),
)

MULTIMODAL_TOPICS = (VIDEO, VISION_LANGUAGE, SPEECH)
"""Topics mixing modalities, in a fixed order (generation depends on it)."""
