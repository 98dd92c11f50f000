from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, [])


@register.filter
def comma(value, places=2):
    """A number the Indonesian way: 10,5 (no thousands separator)."""
    if value is None or value == "":
        return "–"
    return f"{float(value):.{int(places)}f}".replace(".", ",")
