"""services/_template/ is the skeleton docs/contributing.md says to copy: it imports, answers its
health RPC and migrates with the project's migration code, so the guide cannot drift from the
code. It is never a component (nothing runs or deploys it)."""

import re

from nameko.testing.services import worker_factory

from services._template import models
from services._template.service import TemplateService
from services._template.settings import TemplateSettings, load
from shared import components, config, migrate
from shared.unit_of_work import Work

TEMPLATE = config.REPO_ROOT / "services" / "_template"
GUIDE = config.REPO_ROOT / "docs" / "contributing.md"


def test_the_template_migrates_into_a_fresh_database_and_answers_its_health(tmp_path):
    migrate.migrate_models(models, "_template", f"sqlite:///{tmp_path / 'template.db'}")
    with models.database.connection_context():
        tables = set(models.database.get_tables())
        service = worker_factory(
            TemplateService,
            uow=Work(models.database, models.Outbox, models.Inbox, "test-cid"),
            settings=TemplateSettings(),
        )
        health = service.health()
    assert {model._meta.table_name for model in models.MODELS} <= tables
    assert health["service"] == "_template"
    assert health["status"] == "ok"


def test_its_settings_load_from_an_empty_environment():
    assert load() == TemplateSettings()


def test_it_has_every_file_of_the_shape_the_guide_describes():
    shape = GUIDE.read_text(encoding="utf-8").split("services/<name>/", 1)[1].split("```", 1)[0]
    listed = re.findall(r"^\s+(\S+\.py|\S+/)\s", shape, flags=re.MULTILINE)
    assert "service.py" in listed
    missing = [name for name in listed if not (TEMPLATE / name).exists()]
    assert missing == []


def test_the_template_is_not_a_component():
    assert "_template" not in components.COMPONENT_NAMES
    assert not [c.target for c in components.COMPONENTS if "_template" in c.target]
