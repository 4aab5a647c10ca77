"""The skeleton a new service is copied from (docs/contributing.md, "Add a service"). Not a component:
shared/components.py does not list it, so nothing runs, migrates or deploys it; a unit test
(tests/unit/test_service_template.py) builds it, so the guide keeps working."""
