"""Topics about images: generation, visual recognition, 3D scenes and document pages."""

from __future__ import annotations

from paperreader.core.corpus.topic import Topic, phrases

DIFFUSION = Topic(
    key="diffusion",
    name="Diffusion",
    weight=2,
    subjects=phrases(
        "Diffusion Models | Text-to-Image Generation | Image Editing | Flow Matching"
        " | Controllable Generation"
    ),
    objects=phrases("diffusion models | image generators | text-to-image models"),
    tasks=phrases("text-to-image generation | image editing | high-resolution synthesis"),
    problems=phrases(
        "sampling requires dozens of expensive denoising steps"
        " | generated images often ignore parts of the prompt such as counts and spatial relations"
        " | editing one region of an image tends to change unrelated regions"
    ),
    methods=phrases(
        "flow matching | consistency distillation | classifier-free guidance | attention control"
        " | latent diffusion"
    ),
    mechanisms=phrases(
        "distills a slow diffusion sampler into a generator that needs only a few steps"
        " | adjusts cross-attention maps so each object in the prompt receives its own region"
        " | edits images in latent space while preserving the layout of the original"
    ),
    datasets=phrases("PromptScene-5K | CompBench-T2I | EditPairs | ArtStyle-1M"),
    metrics=phrases("prompt alignment | image quality | human preference score"),
    keywords=phrases(
        "diffusion models | text-to-image | flow matching | image editing | guidance"
        " | denoising | latent space | few-step sampling"
    ),
    findings=phrases(
        "few-step generators can match the quality of full samplers"
        " | prompt following depends more on text encoding than on model size"
        " | guidance strength should change over the course of sampling"
    ),
)

VISION = Topic(
    key="vision",
    name="Vision",
    weight=2,
    subjects=phrases(
        "Visual Representation Learning | Open-Vocabulary Segmentation | Object Detection"
        " | Vision Transformers | Self-Supervised Vision"
    ),
    objects=phrases("vision transformers | vision encoders | detection models"),
    tasks=phrases("image classification | open-vocabulary segmentation | object detection"),
    problems=phrases(
        "visual features learned from web images transfer poorly to specialized domains"
        " | dense prediction models require costly pixel-level annotation"
        " | vision transformers waste computation on uninformative background regions"
    ),
    methods=phrases(
        "masked image modeling | self-distillation | contrastive pretraining | token pruning"
        " | region-text alignment"
    ),
    mechanisms=phrases(
        "learns visual features by predicting masked regions of an image"
        " | aligns image regions with text so new categories can be segmented by name"
        " | spends computation only on the informative parts of an image"
    ),
    datasets=phrases("OpenSeg-200 | FieldImages | DetectSet-X | RegionText"),
    metrics=phrases("top-1 accuracy | mean intersection over union | detection accuracy"),
    keywords=phrases(
        "vision transformers | self-supervised learning | segmentation | object detection"
        " | visual features | masked modeling | open vocabulary | dense prediction"
    ),
    findings=phrases(
        "self-supervised features now match supervised ones on most transfer tasks"
        " | data curation matters more than the pretraining objective"
        " | a frozen encoder with a light head is enough for many dense tasks"
    ),
)

SCENES_3D = Topic(
    key="3d",
    name="3D Vision",
    weight=1,
    subjects=phrases(
        "3D Reconstruction | Gaussian Splatting | Novel View Synthesis | 3D Generation"
        " | Scene Understanding"
    ),
    objects=phrases(
        "3D generative models | neural scene representations | reconstruction pipelines"
    ),
    tasks=phrases("novel view synthesis | single-image 3D reconstruction | text-to-3D generation"),
    problems=phrases(
        "reconstruction methods need many calibrated views of each scene"
        " | generated 3D objects look plausible from one side but break from others"
        " | optimizing a scene representation takes minutes to hours per scene"
    ),
    methods=phrases(
        "gaussian splatting | feed-forward reconstruction | multi-view diffusion"
        " | neural radiance fields | depth priors"
    ),
    mechanisms=phrases(
        "predicts a full 3D scene from a few images in a single forward pass"
        " | generates consistent views of an object before lifting them into 3D"
        " | uses monocular depth estimates to regularize sparse reconstructions"
    ),
    datasets=phrases("SceneScan-3K | ObjectVerse-Lite | RoomViews | MeshSet"),
    metrics=phrases("reconstruction quality | view consistency | rendering speed"),
    keywords=phrases(
        "3D reconstruction | gaussian splatting | novel view synthesis | multi-view consistency"
        " | depth estimation | neural rendering | point clouds | meshes"
    ),
    findings=phrases(
        "feed-forward models can rival per-scene optimization at a fraction of the cost"
        " | geometry errors, not texture, dominate human judgments of 3D quality"
        " | a strong depth prior removes the need for dense capture"
    ),
)

DOCUMENTS = Topic(
    key="documents",
    name="Document Understanding",
    weight=1,
    subjects=phrases(
        "Document Understanding | OCR-Free Parsing | Table Extraction"
        " | Scientific Document Parsing | Layout Analysis"
    ),
    objects=phrases("document models | document parsers | multimodal readers"),
    tasks=phrases("document question answering | table extraction | layout analysis"),
    problems=phrases(
        "parsing pipelines break on complex layouts such as multi-column pages and tables"
        " | text recognition errors propagate to every downstream step"
        " | long documents exceed the context that models can read at once"
    ),
    methods=phrases(
        "OCR-free encoding | layout-aware pretraining | table structure recognition"
        " | page-level retrieval | markup generation"
    ),
    mechanisms=phrases(
        "reads page images directly and writes structured markup"
        " | models the reading order of text blocks explicitly"
        " | retrieves the relevant pages before answering a question"
    ),
    datasets=phrases("DocPages-50K | TableSet-Pro | FormQA | PaperParse"),
    metrics=phrases("parsing accuracy | table accuracy | answer accuracy"),
    keywords=phrases(
        "document understanding | OCR | layout analysis | tables | forms | reading order"
        " | PDF parsing | markup"
    ),
    findings=phrases(
        "reading order is the main source of errors on complex pages"
        " | end-to-end parsers now rival multi-stage pipelines"
        " | page retrieval is the bottleneck for long document questions"
    ),
)

IMAGE_TOPICS = (DIFFUSION, VISION, SCENES_3D, DOCUMENTS)
"""Topics about images, in a fixed order (generation depends on it)."""
