"""The staff admin: a web interface to keep the resource data current, with review and an audit trail.

Editors propose changes as drafts; reviewers publish them. Every published change goes
through `bot.dataset.validate` and `bot.dataset.store`, and is written to the change log.
"""
