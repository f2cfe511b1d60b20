"""People, organisations and system names for the synthetic corpus.

Names are common given names and surnames combined at random, so no generated author
is a real person. Organisations are invented: plausible place-style names, not real labs.
"""

from __future__ import annotations

from paperreader.core.corpus.topic import words

FIRST_NAMES = words(
    """
    Wei Jun Hao Yu Xin Jing Yang Min Jie Lei Ying Zhen Tao Yan Rui Ming Qing Yifan Zihan
    Haoran Yuxuan Jiahao Siyu Kai Shuo Tianyi Xinyu Bo Zhiyuan Ruoxi Priya Arjun Rahul
    Ananya Rohan Aditi Vikram Neha Sanjay Kavya Ishaan Meera Amir Leila Omar Yasmin Karim
    Sara Layla Hiroshi Yuki Haruto Aiko Kenji Sakura Minjun Jiwoo Seoyeon Hyun Jihoon
    Lukas Anna Jonas Lena Felix Marie Paul Clara Matteo Giulia Luca Sofia Pablo Lucia
    Diego Elena Mateo Camila Thomas Emma Julien Chloe Noah Olivia Daniel Grace Michael
    Sarah David Emily James Hannah Samuel Laura Ethan Maya Alexander Nina Ivan Olga Dmitri
    Katya Tomasz Zofia Kwame Amara Chidi Zainab Tunde Nia Lars Ingrid Erik Astrid Mehmet
    Elif Ayse Andrea Marco Rafael Beatriz Joao Ines Nikos Eleni Thanh Linh Minh
    """
)
"""Given names from many languages, as they appear on arXiv author lists."""

SURNAMES = words(
    """
    Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao
    Zheng Liang Xie Tang Han Cao Deng Feng Song Peng Kim Lee Park Choi Jung Kang Yoon
    Tanaka Suzuki Sato Nakamura Kobayashi Watanabe Sharma Patel Gupta Singh Kumar Iyer
    Reddy Nair Rao Das Mehta Joshi Khan Hassan Haddad Rahman Farouk Nasser Mansour
    Mueller Schmidt Schneider Fischer Weber Becker Hoffmann Wagner Rossi Russo Ferrari
    Bianchi Romano Garcia Martinez Lopez Gonzalez Fernandez Silva Santos Costa Oliveira
    Dubois Laurent Moreau Lefebvre Bernard Smith Johnson Brown Taylor Anderson Thompson
    Walker Wright Mitchell Carter Evans Collins Murphy Kelly Novak Kowalski Nowak Ivanov
    Petrov Volkov Sokolov Jensen Nielsen Larsen Berg Lindqvist Okafor Mensah Adeyemi
    Mwangi Yilmaz Demir Kaya Cohen Levi Friedman Nguyen Tran Pham Papadopoulos Pereira
    """
)
"""Surnames from many languages."""

ORGANIZATIONS = (
    "Northbridge University",
    "Halcyon AI Lab",
    "Eastvale Institute of Technology",
    "Westmoor University",
    "Silverpine Research",
    "Lakeshore University",
    "Ironwood AI",
    "Brightwater Institute",
    "Amberfield University",
    "Cobalt Systems Research",
    "Harborview College",
    "Stonegate University",
    "Riverton Institute of Science",
    "Fernhill AI",
    "Granite Peak Labs",
    "Sunridge University",
    "Clearwater AI Research",
    "Oakhaven University",
    "Bluecrest Lab",
    "Tidewater Institute",
    "Highland Technical University",
    "Saltmarsh AI",
    "Ashgrove University",
    "Copperline Labs",
    "Summit Valley University",
    "Marlow Institute for Learning",
    "Pinecrest AI",
    "Elmstead University",
    "Quarry Hill Lab",
    "Willowmere Institute",
    "Wrenfield AI",
    "Larkspur Research",
)
"""Invented universities, institutes and company labs (the Hub handle is derived from them)."""

SYSTEM_NAMES = words(
    """
    Lantern Meridian Cascade Harbor Compass Beacon Anchor Prism Mosaic Quill Lattice Ember
    Thistle Willow Juniper Aster Orbit Relay Tandem Ripple Keystone Scaffold Trellis
    Lodestar Sextant Spindle Forge Crucible Loom Bellows Flint Granite Basalt Quartz Onyx
    Saffron Vesper Zephyr Nimbus Cirrus Halo Gyre Helix Vertex Pivot Lever Ratchet Gimbal
    Sonar Echo Canopy Sapling Bramble Heron Osprey Kestrel Puffin Otter Badger Marten Lynx
    Ibis Wren Finch Plover Pebble Marble Cinder Kite Tinder Beeswax Candle Sundial Abacus
    """
)
"""Ordinary English words used as the names of proposed systems ("We propose Lantern")."""

SYSTEM_SUFFIXES = ("Lite", "Zero", "XL", "Pro", "Mini", "R1", "V2", "7B", "2")
"""Endings that turn a name into a model name ("Lantern-7B"); digits are allowed text."""

SUMMARY_MODEL = "Qwen/Qwen2.5-Coder-32B-Instruct"
"""The model id the real feed names in ``ai_summary_model``."""
