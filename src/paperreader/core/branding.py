"""Names and addresses in one place (no imports: safe on every start-up path)."""

from paperreader import __version__

APP_NAME = "paperreader"
DEFAULT_API_URL = "https://huggingface.co"
USER_AGENT = f"paperreader/{__version__} (+terminal reader for Hugging Face Daily Papers)"
#: Hosts the HF token may be sent to (over https only); config ``token_hosts`` adds more.
TOKEN_HOSTS = ("huggingface.co",)
