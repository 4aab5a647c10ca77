"""deploy/kubernetes: the example venues' overlays rendered by deploy/kubernetes/render.py (the
subset of kustomize it uses), every document valid against Kubernetes' own schemas
(kubernetes-validate, offline, strict: an unknown field fails), and what a venue needs of it:
a Deployment with probes, requests and limits for every component of shared/components.py
(two replicas at least, a PodDisruptionBudget each), the migration Job, the Ingress to the
gateway's Service, pinned images, pods without root, and no real credential (docs/hosting.md).
Both packagings: example-venue (base: one Deployment per service) and example-venue-one
(one-process: every nameko service in the Deployment `services`).
"""

import base64
import copy
import importlib.util
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import kubernetes_validate
import pytest
import yaml

from shared import components

ROOT = Path(__file__).resolve().parents[2]
KUBERNETES = ROOT / "deploy" / "kubernetes"
OVERLAY = KUBERNETES / "overlays" / "example-venue"
OVERLAY_ONE = KUBERNETES / "overlays" / "example-venue-one"
# The oldest Kubernetes still commonly run and the newest kubernetes-validate knows.
VERSIONS = ("1.30", "1.37")


def load_render():
    spec = importlib.util.spec_from_file_location("kubernetes_render", KUBERNETES / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render = load_render()


@pytest.fixture(scope="module")
def documents():
    return render.render(OVERLAY, allow_placeholders=True)


@pytest.fixture(scope="module")
def one_documents():
    return render.render(OVERLAY_ONE, allow_placeholders=True)


@pytest.fixture(scope="module", params=["split", "one"])
def packaged(request, documents, one_documents):
    """The documents of either packaging (the checks every venue's manifests pass)."""
    return {"split": documents, "one": one_documents}[request.param]


def of_kind(documents, kind):
    return {d["metadata"]["name"]: d for d in documents if d["kind"] == kind}


def container(deployment):
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, deployment["metadata"]["name"]
    return containers[0]


def env_names(one):
    return {variable["name"] for variable in one.get("env", [])}


def secret_keys(one):
    """{variable: (secret, key)} of a container's variables taken from a Secret."""
    return {
        v["name"]: (v["valueFrom"]["secretKeyRef"]["name"], v["valueFrom"]["secretKeyRef"]["key"])
        for v in one.get("env", [])
        if "secretKeyRef" in v.get("valueFrom", {})
    }


def matches(selector, labels):
    return all(labels.get(key) == value for key, value in selector.items())


@pytest.mark.parametrize("version", VERSIONS)
def test_every_rendered_document_is_valid_for_kubernetes(packaged, version):
    for document in packaged:
        kubernetes_validate.validate(document, version, strict=True)


def test_the_validation_refuses_a_field_kubernetes_does_not_know(documents):
    wrong = copy.deepcopy(of_kind(documents, "Deployment")["gateway"])
    container(wrong)["livenesProbe"] = container(wrong)["livenessProbe"]
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(wrong, VERSIONS[0], strict=True)


@pytest.mark.parametrize("component", components.COMPONENTS, ids=lambda c: c.name)
def test_each_component_runs_its_target_in_a_deployment_of_its_own(documents, component):
    deployments = of_kind(documents, "Deployment")
    assert component.name in deployments, (
        f"no Deployment {component.name!r}: add deploy/kubernetes/base/{component.name}.yaml "
        f"(a copy of team.yaml) and list it in base/kustomization.yaml"
    )
    one = container(deployments[component.name])
    assert component.target in one["command"], one["command"]
    if component.runner == components.NAMEKO:
        assert one["command"][:3] == ["python", "-m", "shared.run_service"]
    values = {v["name"]: v.get("value") for v in one["env"]}
    assert values["COCOON_SERVICE_NAME"] == component.name
    urls = {name for name in env_names(one) if name.endswith("_DATABASE_URL")}
    assert urls == {component.database_env}, f"{component.name} reaches {sorted(urls)}"
    assert secret_keys(one)[component.database_env][1] == component.database_env
    assert "AMQP_URI" in secret_keys(one)


@pytest.mark.parametrize("component", components.COMPONENTS, ids=lambda c: c.name)
def test_each_component_has_probes_requests_limits_and_two_replicas(documents, component):
    deployment = of_kind(documents, "Deployment")[component.name]
    assert deployment["spec"]["replicas"] >= 2, "one pod drained or restarted: the other answers"
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    one = container(deployment)
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(one["resources"][kind]), f"{component.name}: {kind}"
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert probe in one, f"{component.name}: {probe}"
    if component.runner == components.NAMEKO:
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            command = one[probe]["exec"]["command"]
            assert command[:3] == ["cocoon", "health", component.name], command
            timeout = float(command[command.index("--timeout") + 1])
            assert timeout < one[probe]["timeoutSeconds"], "the RPC's wait must end before the probe's"
    else:
        assert one["livenessProbe"]["httpGet"]["path"] == "/healthz"
        # /readyz is 503 while a service is down or an event parked: the gateway must stay in its Service
        assert one["readinessProbe"]["httpGet"]["path"] == "/healthz"


def test_every_deployment_has_a_disruption_budget_keeping_one_pod(packaged):
    budgets = of_kind(packaged, "PodDisruptionBudget")
    for name, deployment in of_kind(packaged, "Deployment").items():
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        covering = [b for b in budgets.values() if matches(b["spec"]["selector"]["matchLabels"], pod_labels)]
        assert len(covering) == 1, f"{name}: {len(covering)} PodDisruptionBudgets"
        assert covering[0]["spec"]["minAvailable"] >= 1
        assert covering[0]["spec"]["minAvailable"] < deployment["spec"]["replicas"], f"{name}: no pod could be drained"


def test_the_ingress_routes_the_venue_address_to_the_gateway_service_over_tls(packaged):
    (ingress,) = of_kind(packaged, "Ingress").values()
    services = of_kind(packaged, "Service")
    hosts = set()
    for rule in ingress["spec"]["rules"]:
        hosts.add(rule["host"])
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            assert backend["name"] == "gateway"
            port = backend["port"]["name"]
            assert port in {p["name"] for p in services["gateway"]["spec"]["ports"]}
    assert hosts <= {host for tls in ingress["spec"]["tls"] for host in tls["hosts"]}
    gateway_pods = of_kind(packaged, "Deployment")["gateway"]["spec"]["template"]["metadata"]["labels"]
    assert matches(services["gateway"]["spec"]["selector"], gateway_pods)
    target = services["gateway"]["spec"]["ports"][0]["targetPort"]
    assert target in {p["name"] for p in container(of_kind(packaged, "Deployment")["gateway"])["ports"]}
    (settings,) = [c for name, c in of_kind(packaged, "ConfigMap").items() if name.startswith("venue-settings-")]
    assert urlparse(settings["data"]["COCOON_PUBLIC_URL"]).hostname in hosts


def test_the_migration_job_reaches_every_database_and_the_broker(packaged):
    job = of_kind(packaged, "Job")["migrate"]
    one = job["spec"]["template"]["spec"]["containers"][0]
    assert one["command"] == ["python", "-m", "shared.migrate"]
    keys = secret_keys(one)
    for component in components.COMPONENTS:
        assert keys.get(component.database_env, (None, None))[1] == component.database_env, component.name
    assert "AMQP_URI" in keys
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_every_image_is_pinned(packaged):
    for document in packaged:
        for pod in render.pod_specs(document):
            for one in pod["containers"] + pod.get("initContainers", []):
                name, tag, digest = render.split_image(one["image"])
                assert digest or (tag and tag != "latest"), f"{document['metadata']['name']}: {one['image']}"


def test_pods_run_without_root_or_privileges_on_a_read_only_root(packaged):
    for document in packaged:
        for pod in render.pod_specs(document):
            assert pod["securityContext"]["runAsNonRoot"] is True
            assert pod["securityContext"]["runAsUser"] != 0
            assert pod["automountServiceAccountToken"] is False
            for one in pod["containers"]:
                context = one["securityContext"]
                assert context["readOnlyRootFilesystem"] is True, one["name"]
                assert context["allowPrivilegeEscalation"] is False, one["name"]
                assert context["capabilities"]["drop"] == ["ALL"], one["name"]
                assert "/tmp" in {m["mountPath"] for m in one["volumeMounts"]}, "gunicorn and tempfile write there"


@pytest.mark.parametrize(("packaging", "bookings"), [("split", "bookings"), ("one", "services")])
def test_the_secrets_hold_placeholders_only_and_each_key_reaches_only_its_users(
    documents, one_documents, packaging, bookings
):
    documents = {"split": documents, "one": one_documents}[packaging]
    (secret,) = of_kind(documents, "Secret").values()
    values = {key: base64.b64decode(value).decode() for key, value in secret["data"].items()}
    for key, value in values.items():
        assert value == "" or render.PLACEHOLDER in value, f"{key} holds a real value in the example"
    holders = {}
    for document in documents:
        for pod in render.pod_specs(document):
            for one in pod["containers"]:
                for variable, (name, key) in secret_keys(one).items():
                    assert name == secret["metadata"]["name"], variable
                    assert key in values, f"{document['metadata']['name']}: {key} missing from secrets.env"
                    holders.setdefault(key, set()).add(document["metadata"]["name"])
                assert not [v for v in one["env"] if "PASSWORD" in v["name"] and "value" in v], one["name"]
    assert holders["COCOON_SECRET_KEY"] == {"gateway"}
    assert holders["COCOON_CERTIFICATE_KEY"] == holders["COCOON_HEALTH_KEY"] == {bookings}


def test_render_refuses_placeholders_unless_asked():
    with pytest.raises(render.RenderError, match="COCOON_SECRET_KEY"):
        render.render(OVERLAY)


def test_everything_lives_in_the_venue_namespace(packaged):
    (namespace,) = of_kind(packaged, "Namespace")
    assert of_kind(packaged, "Namespace")[namespace]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == (
        "restricted"
    )
    for document in packaged:
        if document["kind"] != "Namespace":
            assert document["metadata"]["namespace"] == namespace, document["metadata"]["name"]
    assert packaged[0]["kind"] == "Namespace", "kubectl apply creates it before what it holds"


def references(documents):
    """The ConfigMaps and Secrets the pods name."""
    named = set()
    for document in documents:
        for pod in render.pod_specs(document):
            for one in pod["containers"]:
                named |= {next(iter(source.values()))["name"] for source in one.get("envFrom", [])}
                named |= {secret for secret, _key in secret_keys(one).values()}
    return named


def test_generated_names_follow_their_content_and_the_pods_follow_the_names(tmp_path, documents):
    generated = set(of_kind(documents, "ConfigMap")) | set(of_kind(documents, "Secret"))
    assert references(documents) == generated
    copied = tmp_path / "kubernetes"
    shutil.copytree(KUBERNETES, copied, ignore=shutil.ignore_patterns("__pycache__"))
    with open(copied / "overlays" / "example-venue" / "settings.env", "a", encoding="utf-8") as settings:
        settings.write("COCOON_CRECHE_PLACES=14\n")
    again = render.render(copied / "overlays" / "example-venue", allow_placeholders=True)
    renamed = set(of_kind(again, "ConfigMap")) | set(of_kind(again, "Secret"))
    (new,) = renamed - generated  # only the venue's settings changed: one new name, its pods roll
    assert new.startswith("venue-settings-")
    assert references(again) == renamed


def test_strategic_merge_keeps_the_base_and_merges_lists_by_name():
    base = {"spec": {"replicas": 2, "containers": [{"name": "a", "env": [{"name": "X", "value": "1"}], "image": "i"}]}}
    render.merge(base, {"spec": {"containers": [{"name": "a", "env": [{"name": "Y", "value": "2"}]}]}})
    assert base["spec"]["replicas"] == 2
    assert base["spec"]["containers"][0]["env"] == [{"name": "X", "value": "1"}, {"name": "Y", "value": "2"}]
    assert base["spec"]["containers"][0]["image"] == "i"


def test_render_refuses_a_kustomization_field_it_does_not_implement(tmp_path):
    (tmp_path / "kustomization.yaml").write_text("namePrefix: venue-\nresources: []\n")
    with pytest.raises(render.RenderError, match="namePrefix"):
        render.render(tmp_path)


def test_the_example_secrets_file_is_kept_and_a_real_venues_is_ignored():
    checked = subprocess.run(
        [
            "git",
            "check-ignore",
            "deploy/kubernetes/overlays/a-venue/secrets.env",
            str(OVERLAY / "secrets.env"),
            str(OVERLAY_ONE / "secrets.env"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.stdout.split() == ["deploy/kubernetes/overlays/a-venue/secrets.env"]


def test_the_command_prints_what_kubectl_applies_and_the_migration_first_alone(capsys, documents):
    assert render.main([str(OVERLAY), "--allow-placeholders"]) == 0
    printed = [d for d in yaml.safe_load_all(capsys.readouterr().out) if d]
    assert printed == documents
    assert render.main([str(OVERLAY), "--allow-placeholders", "--kind", "Namespace,ConfigMap,Secret,Job"]) == 0
    first = [d for d in yaml.safe_load_all(capsys.readouterr().out) if d]
    assert [d["kind"] for d in first] == ["Namespace", "ConfigMap", "ConfigMap", "Secret", "Job"]
    assert render.main([str(OVERLAY)]) == 1  # placeholders: nothing printed
    assert capsys.readouterr().out == ""


# --- the one-process packaging (deploy/kubernetes/one-process) ------------------------------------
def test_the_one_process_packaging_runs_every_nameko_service_in_one_deployment_beside_the_gateway(one_documents):
    deployments = of_kind(one_documents, "Deployment")
    assert set(deployments) == {"services", "gateway"}
    one = container(deployments["services"])
    assert one["command"] == ["python", "-m", "shared.run_services"]  # every service of shared/components.py
    values = {v["name"]: v.get("value") for v in one["env"]}
    assert values["COCOON_SERVICE_NAME"] == "services" and values["COCOON_PROCESSES"] == "one"
    urls = {name for name in env_names(one) if name.endswith("_DATABASE_URL")}
    assert urls == {c.database_env for c in components.SERVICES}, "each service its own database, not the gateway's"
    for service in components.SERVICES:
        assert secret_keys(one)[service.database_env][1] == service.database_env
    assert "AMQP_URI" in secret_keys(one)
    gateway = {v["name"]: v.get("value") for v in container(deployments["gateway"])["env"]}
    assert gateway["COCOON_PROCESSES"] == "one"  # one gunicorn worker (deploy/gunicorn.conf.py)


def test_the_one_process_deployment_asks_every_service_s_health_and_keeps_two_replicas(one_documents):
    deployment = of_kind(one_documents, "Deployment")["services"]
    assert deployment["spec"]["replicas"] >= 2
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    one = container(deployment)
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(one["resources"][kind]), kind
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        command = one[probe]["exec"]["command"]
        assert command[:2] == ["cocoon", "health"], command
        assert command[2 : command.index("--timeout")] == list(components.SERVICE_NAMES)
        assert float(command[command.index("--timeout") + 1]) < one[probe]["timeoutSeconds"], probe


def test_the_one_process_packaging_keeps_the_base_s_gateway_migration_and_ingress(documents, one_documents):
    for kind, name in (("Deployment", "gateway"), ("Job", "migrate"), ("Service", "gateway")):
        split, one = of_kind(documents, kind)[name], of_kind(one_documents, kind)[name]
        assert _without_venue(split) == _without_venue(one), f"{kind}/{name}"


def _without_venue(document):
    """A document without what differs between the two example venues (namespace, venue label,
    generated names) and without the gateway's packaging settings."""
    text = yaml.safe_dump(document, sort_keys=True)
    text = text.replace("cocoon-example-venue-one", "VENUE").replace("cocoon-example-venue", "VENUE")
    text = text.replace("example-venue-one", "VENUE").replace("example-venue", "VENUE")
    found = yaml.safe_load(text)
    for pod in render.pod_specs(found):
        for one in pod["containers"]:
            one["env"] = [
                v
                for v in one.get("env", [])
                if v["name"] not in ("COCOON_PROCESSES", "GATEWAY_WORKERS", "GATEWAY_THREADS")
            ]
            for source in one.get("envFrom", []):
                ref = next(iter(source.values()))
                ref["name"] = ref["name"].rsplit("-", 1)[0]
            for variable in one["env"]:
                ref = variable.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    ref["name"] = ref["name"].rsplit("-", 1)[0]
    return found


def test_the_one_process_example_venue_shares_example_venue_s_settings_and_secrets():
    for name in ("settings.env", "secrets.env", "patches/address.yaml"):
        assert (OVERLAY_ONE / name).read_text() == (OVERLAY / name).read_text(), name


def test_render_deletes_a_resource_a_patch_says_to_delete(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n"
    )
    (tmp_path / "kustomization.yaml").write_text(
        "resources: [a.yaml]\npatches:\n  - patch: |-\n      $patch: delete\n      apiVersion: v1\n"
        "      kind: ConfigMap\n      metadata:\n        name: a\n"
    )
    assert [d["metadata"]["name"] for d in render.render(tmp_path)] == ["b"]
