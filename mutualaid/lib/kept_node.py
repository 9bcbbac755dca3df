"""A template node whose output depends only on a few things the page does not choose (the
language, the URL configuration, whether it escapes): rendered once per such key, kept on the
node and served again from there. lib/i18n.py and lib/url_tag.py mix it into Django's own
nodes, and call ``render_kept`` when their node is one of constants."""


class KeptNode:
    # Subclasses set self.kept = {} in __init__; self.asvar is the node's own (Django's).

    def render_kept(self, context, key):
        value = self.kept.get(key)
        if value is None:
            rendered = super().render(context)  # Django's node, once per key
            value = self.kept[key] = context[self.asvar] if self.asvar else rendered
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value
