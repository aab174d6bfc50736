"""Wizard storage that keeps nothing between requests.

The scan wizard uses formtools for its step navigation only: answers and the current step live
in the database (docs/decisions/0030). formtools' session storage would still write the session
on every step page (it marks the session modified whenever its data is read), one extra UPDATE
per page and per app server round trip; this storage keeps the wizard's data for the request only.
"""

from typing import Any

from formtools.wizard.storage.base import BaseStorage


class RequestStorage(BaseStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._data: dict[str, Any] = {}
        self.init_data()

    def _get_data(self) -> dict[str, Any]:
        return self._data

    def _set_data(self, value: dict[str, Any]) -> None:
        self._data = value

    data = property(_get_data, _set_data)
