"""A small stand-in for the Dash renderer: the requests a browser sends when a filter changes.

It reads the app's callback map (GET /_dash-dependencies) and the shell layout (GET /_dash-layout),
keeps the current value of every component property it has seen (the shell, plus the page the
pages router rendered on navigation), and replays a filter change the way dash-renderer does:

1. the user sets a filter control (`filter-platform.value`, the date range, ...): the callbacks
   with that input are requested (the filter bar's sync callback, which writes `url.search`);
2. every response's changed properties trigger the callbacks that take them as inputs (all the
   page's `Input("url", "search")` callbacks, the filter summary, the navbar links; then e.g. the
   ranking table's `selectedRows` -> the detail panel), requested as soon as the response arrives.

Checked against a real browser (Playwright + Chromium, `window.dash_clientside.set_props` on
`filter-platform`): a filter change on `/` sends exactly these 7 requests, on `/influencers` 5;
the pages router (`_pages_location`) does not fire, so the page is not re-rendered.

Requests go out concurrently over at most `connections` keep-alive connections (a browser opens
6 per host). The interaction's latency is the wall time from the change until the last response
(the browser's own rendering is not included). Clientside callbacks and MATCH pattern callbacks
(button-driven downloads) are not sent.
"""

from __future__ import annotations

import http.client
import json
import queue
import threading
import time
from concurrent.futures import ThreadPoolExecutor

SEARCH_INPUTS = {("url", "search"), ("_pages_location", "search")}
ROUTER_OUTPUT = "_pages_content"


def id_key(component_id) -> str:
    """Dash's string form of an id: plain string, or the JSON of a dict id with sorted keys."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return str(component_id)


def split_output(output: str) -> list[tuple[str, str]]:
    """`..a.children...b.style..` or `a.figure` -> [(id, property), ...]."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    result = []
    for part in parts:
        component, prop = part.rsplit(".", 1)
        result.append((component, prop.split("@", 1)[0]))
    return result


def is_pattern(key: str) -> bool:
    """A wildcard id (ALL/MATCH/ALLSMALLER); a plain dict id is not a pattern."""
    return key.startswith("{") and any(isinstance(v, list) for v in json.loads(key).values())


def pattern_matches(pattern_key: str, concrete: dict) -> bool:
    pattern = json.loads(pattern_key)
    if set(pattern) != set(concrete):
        return False
    for name, wanted in pattern.items():
        if isinstance(wanted, list):  # ["ALL"], ["MATCH"], ["ALLSMALLER"]
            continue
        if concrete[name] != wanted:
            return False
    return True


class HttpPool:
    """Keep-alive HTTP/1.1 connections to one server, one per worker thread."""

    def __init__(self, host: str, port: int, size: int = 6, timeout: float = 300):
        self.host, self.port, self.timeout = host, port, timeout
        self.size = size
        self._free: queue.LifoQueue = queue.LifoQueue()

    def _connection(self) -> http.client.HTTPConnection:
        try:
            return self._free.get_nowait()
        except queue.Empty:
            return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        payload = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json", "Accept": "application/json"} if payload else {}
        for attempt in (1, 2, 3):
            # A pooled connection may have been closed by the server (gunicorn's keep-alive is 2 s):
            # retry on a new one, as a browser does. Callbacks are safe to repeat.
            connection = (
                self._connection()
                if attempt == 1
                else http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            )
            try:
                connection.request(method, path, body=payload, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except (http.client.HTTPException, ConnectionError, OSError):
                connection.close()
                if attempt == 3:
                    raise
                continue
            if response.will_close:
                connection.close()
                return response.status, data
            self._free.put(connection)
            return response.status, data
        raise AssertionError("unreachable")

    def get_json(self, path: str):
        status, data = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
        return json.loads(data)

    def close(self):
        while True:
            try:
                self._free.get_nowait().close()
            except queue.Empty:
                return


class CallbackError(RuntimeError):
    pass


class DashClient:
    def __init__(self, host: str, port: int, connections: int = 6):
        self.http = HttpPool(host, port, connections)
        self.executor = ThreadPoolExecutor(max_workers=connections, thread_name_prefix="bench-http")
        self.callbacks = [
            c
            for c in self.http.get_json("/_dash-dependencies")
            if not c.get("clientside_function") and "MATCH" not in c["output"]
        ]
        for callback in self.callbacks:
            callback["_outputs"] = split_output(callback["output"])
            callback["_inputs"] = [(i["id"], i["property"]) for i in callback["inputs"]]
            callback["_state"] = [(s["id"], s["property"]) for s in callback["state"]]
        self.props: dict[tuple[str, str], object] = {}
        self.ids: dict[str, object] = {}  # id key -> original id (dict ids kept as dicts)
        self.index(self.http.get_json("/_dash-layout"))
        self.path = "/"

    # -- layout state ---------------------------------------------------------------------------

    def index(self, node):
        """Record every component (and its props) of a layout tree."""
        if isinstance(node, list):
            for child in node:
                self.index(child)
            return
        if not isinstance(node, dict):
            return
        if "props" in node and "type" in node and "namespace" in node:
            props = node["props"] or {}
            if "id" in props:
                key = id_key(props["id"])
                self.ids[key] = props["id"]
                for prop, value in props.items():
                    self.props[(key, prop)] = value
            for value in props.values():
                if isinstance(value, (dict, list)):
                    self.index(value)

    def apply(self, response: dict) -> list[tuple[str, str]]:
        """Apply a callback response to the state; returns the (id, prop) pairs it changed."""
        changed = []
        for key, props in (response or {}).items():
            for prop, value in props.items():
                self.props[(key, prop)] = value
                changed.append((key, prop))
                if isinstance(value, (dict, list)):
                    self.index(value)
        return changed

    def matches(self, pattern_key: str) -> list[str]:
        return [
            key
            for key, original in self.ids.items()
            if isinstance(original, dict) and pattern_matches(pattern_key, original)
        ]

    def present(self, callback) -> bool:
        """All plain inputs exist and at least one output exists in the current layout."""
        for component, _ in callback["_inputs"]:
            if not is_pattern(component) and component not in self.ids:
                return False
        for component, _ in callback["_outputs"]:
            if self.matches(component) if is_pattern(component) else component in self.ids:
                return True
        return False

    def _spec(self, component: str, prop: str, with_value: bool):
        def one(key):
            item = {"id": self.ids.get(key, key), "property": prop}
            if with_value and (key, prop) in self.props:
                item["value"] = self.props[(key, prop)]
            return item

        if is_pattern(component):
            return [one(key) for key in self.matches(component)]
        return one(component)

    def body(self, callback, changed: set[tuple[str, str]]) -> dict:
        outputs = [self._spec(c, p, False) for c, p in callback["_outputs"]]
        return {
            "output": callback["output"],
            "outputs": outputs if callback["output"].startswith("..") else outputs[0],
            "inputs": [self._spec(c, p, True) for c, p in callback["_inputs"]],
            "state": [self._spec(c, p, True) for c, p in callback["_state"]],
            "changedPropIds": sorted(f"{c}.{p}" for c, p in callback["_inputs"] if (c, p) in changed),
        }

    # -- requests -------------------------------------------------------------------------------

    def call(self, callback, changed: set, body: dict | None = None) -> tuple[float, dict]:
        body = body if body is not None else self.body(callback, changed)
        started = time.perf_counter()
        status, data = self.http.request("POST", "/_dash-update-component", body)
        elapsed = time.perf_counter() - started
        if status == 204:
            return elapsed, {}
        if status != 200:
            raise CallbackError(f"{callback['output'][:80]}: HTTP {status}: {data[:300]!r}")
        return elapsed, json.loads(data).get("response", {})

    def set_location(self, pathname: str, search: str):
        for location in ("url", "_pages_location"):
            self.props[(location, "pathname")] = pathname
            self.props[(location, "search")] = search
            self.props[(location, "href")] = f"http://127.0.0.1{pathname}{search}"
        self.path = pathname

    def change(self, changed: set[tuple[str, str]]) -> dict:
        """Fire everything a change of these (id, prop) inputs triggers; wait for the last response.

        Returns {"ms": wall time, "requests": n, "server_ms": sum of request times, "slowest": ...}.
        """
        started = time.perf_counter()
        lock = threading.Lock()
        fired: dict[str, int] = {}
        futures = []
        timings: list[tuple[float, str]] = []
        errors: list[BaseException] = []
        done = threading.Condition(lock)
        pending = [0]

        def submit(callback, trigger: set):
            # called with lock held
            key = callback["output"]
            if fired.get(key, 0) >= 2:  # a callback fires at most twice per interaction (step 1 + step 2)
                return
            fired[key] = fired.get(key, 0) + 1
            body = self.body(callback, set(trigger))  # the state as the browser has it now
            pending[0] += 1
            futures.append(self.executor.submit(run, callback, body))

        def run(callback, body):
            try:
                elapsed, response = self.call(callback, set(), body)
            except BaseException as error:  # noqa: BLE001 - reported after the wait
                with lock:
                    errors.append(error)
                    pending[0] -= 1
                    done.notify_all()
                return
            with lock:
                timings.append((elapsed, callback["output"]))
                new_chunk = any(key == ROUTER_OUTPUT for key in response)
                changed_now = set(self.apply(response))
                if new_chunk:  # step 2: initial calls of the re-rendered page
                    for other in self.callbacks:
                        if other.get("prevent_initial_call") or not self.present(other):
                            continue
                        if self._in_page(other):
                            submit(other, set())
                # step 3: callbacks whose inputs this response changed
                for other in self.callbacks:
                    if other is callback or not self.present(other):
                        continue
                    hits = {pair for pair in other["_inputs"] if self._changed(pair, changed_now)}
                    if hits and not (new_chunk and self._in_page(other)):
                        submit(other, hits)
                pending[0] -= 1
                done.notify_all()

        with lock:
            for callback in self.callbacks:
                if self.present(callback) and any(pair in changed for pair in callback["_inputs"]):
                    submit(callback, {pair for pair in callback["_inputs"] if pair in changed})
            while pending[0]:
                done.wait()
        wall = time.perf_counter() - started
        if errors:
            raise CallbackError(str(errors[0])) from errors[0]
        timings.sort(reverse=True)
        return {
            "ms": wall * 1000,
            "requests": len(timings),
            "server_ms": sum(t for t, _ in timings) * 1000,
            "slowest": [(round(t * 1000, 1), name[:70]) for t, name in timings[:3]],
        }

    def _changed(self, pair, changed_now) -> bool:
        component, prop = pair
        if is_pattern(component):
            return any((key, prop) in changed_now for key in self.matches(component))
        return pair in changed_now

    def _in_page(self, callback) -> bool:
        """The callback has an output or input inside the page chunk (ids the router rendered)."""
        page_ids = self._page_ids
        return any(c in page_ids for c, _ in callback["_outputs"] + callback["_inputs"] if not is_pattern(c))

    @property
    def _page_ids(self) -> set[str]:
        return self.__dict__.setdefault("_page_id_cache", set())

    def load_page(self, pathname: str):
        """Navigate to a page with no filters: the router renders it, then its initial callbacks run."""
        self.set_location(pathname, "")
        router = next(c for c in self.callbacks if c["_outputs"][0][0] == ROUTER_OUTPUT)
        _, response = self.call(router, {("_pages_location", "pathname")})
        for key in self._page_ids:  # the previous page's components are gone
            self.ids.pop(key, None)
        self.props = {pair: value for pair, value in self.props.items() if pair[0] not in self._page_ids}
        before = set(self.ids)
        self.apply(response)
        self.__dict__["_page_id_cache"] = set(self.ids) - before | self._ids_in(response)
        self.change({("url", "pathname"), ("url", "search"), ("_pages_location", "search")})

    def _ids_in(self, response) -> set[str]:
        found = set()

        def walk(node):
            if isinstance(node, list):
                for child in node:
                    walk(child)
            elif isinstance(node, dict):
                if "props" in node and "type" in node:
                    props = node["props"] or {}
                    if "id" in props:
                        found.add(id_key(props["id"]))
                    for value in props.values():
                        walk(value)

        walk(response)
        return found

    def change_filters(self, filters) -> dict:
        """The user set the filter controls to `filters` (a metrics.Filters): the filter bar's sync
        callback writes the URL, and the URL change fires the rest (steps 1–3 above)."""
        changed = set()
        wanted = {
            f"filter-{name}": list(getattr(filters, name))
            for name in ("platform", "category", "tier", "brand", "campaign", "product")
        }
        for component, value in wanted.items():
            if (component, "value") in self.props and self.props[(component, "value")] != value:
                self.props[(component, "value")] = value
                changed.add((component, "value"))
        for prop, value in (("start_date", filters.start), ("end_date", filters.end)):
            value = value.isoformat() if value else None
            if ("filter-dates", prop) in self.props and self.props.get(("filter-dates", prop)) != value:
                self.props[("filter-dates", prop)] = value
                changed.add(("filter-dates", prop))
        if not changed:
            return {"ms": 0.0, "requests": 0, "server_ms": 0.0, "slowest": []}
        return self.change(changed)

    def set_value(self, component: str, prop: str, value) -> dict:
        """The user set a control of the page (e.g. /lift's window selector) to `value`: everything
        the change triggers is sent (as change()); its timing. CallbackError if the control is absent."""
        if component not in self.ids:
            raise CallbackError(f"no component {component!r} in the current page")
        self.props[(component, prop)] = value
        return self.change({(component, prop)})

    def click(self, component: str, output_contains: str) -> tuple[float, dict] | None:
        """Click a button (n_clicks + 1) and send only the callback whose output names
        `output_contains` (e.g. the report download); (seconds, response) or None if absent."""
        callback = next(
            (c for c in self.callbacks if output_contains in c["output"] and (component, "n_clicks") in c["_inputs"]),
            None,
        )
        if callback is None or component not in self.ids:
            return None
        self.props[(component, "n_clicks")] = (self.props.get((component, "n_clicks")) or 0) + 1
        return self.call(callback, {(component, "n_clicks")})

    def close(self):
        self.executor.shutdown(wait=True)
        self.http.close()
