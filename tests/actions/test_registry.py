"""The action server registers exactly the custom actions the domain lists (no base class, none missing)."""

from rasa_sdk.executor import ActionExecutor

from tests.trackers import DOMAIN


def test_registered_actions_match_the_domain() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    names = [entry if isinstance(entry, str) else next(iter(entry)) for entry in DOMAIN["actions"]]
    custom = {name for name in names if name.startswith(("action_", "validate_"))}
    assert set(executor.actions) == custom


def test_only_the_form_validation_is_sent_the_domain() -> None:
    """enable_selective_domain (endpoints.yml): rasa_sdk's form validation reads the form's slots from it."""
    needs = [next(iter(entry)) for entry in DOMAIN["actions"] if isinstance(entry, dict)
             and next(iter(entry.values())).get("send_domain")]
    assert needs == ["validate_rephrase_form"]
