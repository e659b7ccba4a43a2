"""One declaration per field (bot.dataset.schema): the database, the admin forms and the docs follow it."""

from __future__ import annotations

import re

from sqlalchemy import inspect

from bot.admin import forms
from bot.dataset.schema import GUIDE_FIELDS, PROFILE_FIELDS, RESOURCE_FIELDS, RESOURCE_KINDS, TOPIC_FIELDS
from bot.db.engine import get_engine
from tests.conftest import PROJECT_ROOT

TABLES = {"profiles": PROFILE_FIELDS, "resources": RESOURCE_FIELDS, "guides": GUIDE_FIELDS}


def test_every_database_column_holds_the_longest_value_the_schema_allows(db_url):
    columns = {table: {c["name"]: c for c in inspect(get_engine(db_url)).get_columns(table)} for table in TABLES}
    for table, specs in TABLES.items():
        for spec in specs:
            column = columns[table].get("key" if spec.name == "id" else spec.name)
            if spec.max_length is None or column is None:
                continue
            length = getattr(column["type"], "length", None)
            assert length is None or length >= spec.max_length, (table, spec.name, length, spec.max_length)


def test_form_inputs_are_the_schema_fields():
    for topic, specs in TOPIC_FIELDS.items():
        inputs = {i.path: i for i in forms.TOPIC_INPUTS[topic]}
        assert list(inputs) == [f"fields.{spec.name}" for spec in specs]
        assert all(inputs[f"fields.{spec.name}"].label == spec.label and spec.label for spec in specs)


def test_the_data_format_document_lists_every_topic_field_and_resource_kind():
    document = (PROJECT_ROOT / "docs" / "data-format.md").read_text()
    for topic, specs in TOPIC_FIELDS.items():
        section = document.split(f"### `{topic}` fields", 1)[1].split("###", 1)[0].split("\n## ", 1)[0]
        documented = re.findall(r"^\| `(\w+)` \|", section, re.M)
        assert documented == [spec.name for spec in specs], topic
    kinds = re.search(r"Kinds: (.+?)\.\n", document, re.S).group(1)
    assert re.findall(r"`(\w+)`", kinds) == list(RESOURCE_KINDS)
