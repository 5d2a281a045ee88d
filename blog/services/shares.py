"""Share targets: each network's share URL for an article."""

from urllib.parse import quote, urlencode

NETWORK_LABELS = {
    "x": "X",
    "facebook": "Facebook",
    "linkedin": "LinkedIn",
    "reddit": "Reddit",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "email": "Email",
}


def share_url(network: str, url: str, title: str) -> str:
    """The network's own share page (or a mailto:) for this URL and title, fully encoded."""
    if network == "x":
        return "https://x.com/intent/post?" + urlencode({"url": url, "text": title})
    if network == "facebook":
        return "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})
    if network == "linkedin":
        return "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})
    if network == "reddit":
        return "https://www.reddit.com/submit?" + urlencode({"url": url, "title": title})
    if network == "whatsapp":
        return "https://wa.me/?" + urlencode({"text": f"{title} {url}"})
    if network == "telegram":
        return "https://t.me/share/url?" + urlencode({"url": url, "text": title})
    if network == "email":
        return f"mailto:?subject={quote(title)}&body={quote(url)}"
    raise KeyError(network)
