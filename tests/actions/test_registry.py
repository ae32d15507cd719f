"""The action server registers exactly the custom actions the domain lists (no base class, none missing)."""

from rasa_sdk.executor import ActionExecutor

from tests.trackers import DOMAIN


def test_registered_actions_match_the_domain() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    custom = {name for name in DOMAIN["actions"] if name.startswith(("action_", "validate_"))}
    assert set(executor.actions) == custom
