"""deploy/kubernetes: the example venue's overlay rendered by deploy/kubernetes/render.py (the
subset of kustomize it uses), every document valid against Kubernetes' own schemas
(kubernetes-validate, offline, strict: an unknown field fails), and what a venue needs of it:
a Deployment with probes, requests and limits for every component of shared/components.py
(two replicas at least, a PodDisruptionBudget each), the migration Job, the Ingress to the
gateway's Service, pinned images, pods without root, and no real credential (docs/hosting.md).
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
def test_every_rendered_document_is_valid_for_kubernetes(documents, version):
    for document in documents:
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


def test_every_deployment_has_a_disruption_budget_keeping_one_pod(documents):
    budgets = of_kind(documents, "PodDisruptionBudget")
    for name, deployment in of_kind(documents, "Deployment").items():
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        covering = [b for b in budgets.values() if matches(b["spec"]["selector"]["matchLabels"], pod_labels)]
        assert len(covering) == 1, f"{name}: {len(covering)} PodDisruptionBudgets"
        assert covering[0]["spec"]["minAvailable"] >= 1
        assert covering[0]["spec"]["minAvailable"] < deployment["spec"]["replicas"], f"{name}: no pod could be drained"


def test_the_ingress_routes_the_venue_address_to_the_gateway_service_over_tls(documents):
    (ingress,) = of_kind(documents, "Ingress").values()
    services = of_kind(documents, "Service")
    hosts = set()
    for rule in ingress["spec"]["rules"]:
        hosts.add(rule["host"])
        for path in rule["http"]["paths"]:
            backend = path["backend"]["service"]
            assert backend["name"] == "gateway"
            port = backend["port"]["name"]
            assert port in {p["name"] for p in services["gateway"]["spec"]["ports"]}
    assert hosts <= {host for tls in ingress["spec"]["tls"] for host in tls["hosts"]}
    gateway_pods = of_kind(documents, "Deployment")["gateway"]["spec"]["template"]["metadata"]["labels"]
    assert matches(services["gateway"]["spec"]["selector"], gateway_pods)
    target = services["gateway"]["spec"]["ports"][0]["targetPort"]
    assert target in {p["name"] for p in container(of_kind(documents, "Deployment")["gateway"])["ports"]}
    (settings,) = [c for name, c in of_kind(documents, "ConfigMap").items() if name.startswith("venue-settings-")]
    assert urlparse(settings["data"]["COCOON_PUBLIC_URL"]).hostname in hosts


def test_the_migration_job_reaches_every_database_and_the_broker(documents):
    job = of_kind(documents, "Job")["migrate"]
    one = job["spec"]["template"]["spec"]["containers"][0]
    assert one["command"] == ["python", "-m", "shared.migrate"]
    keys = secret_keys(one)
    for component in components.COMPONENTS:
        assert keys.get(component.database_env, (None, None))[1] == component.database_env, component.name
    assert "AMQP_URI" in keys
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


def test_every_image_is_pinned(documents):
    for document in documents:
        for pod in render.pod_specs(document):
            for one in pod["containers"] + pod.get("initContainers", []):
                name, tag, digest = render.split_image(one["image"])
                assert digest or (tag and tag != "latest"), f"{document['metadata']['name']}: {one['image']}"


def test_pods_run_without_root_or_privileges_on_a_read_only_root(documents):
    for document in documents:
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


def test_the_secrets_hold_placeholders_only_and_each_key_reaches_only_its_users(documents):
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
    assert holders["COCOON_CERTIFICATE_KEY"] == holders["COCOON_HEALTH_KEY"] == {"bookings"}


def test_render_refuses_placeholders_unless_asked():
    with pytest.raises(render.RenderError, match="COCOON_SECRET_KEY"):
        render.render(OVERLAY)


def test_everything_lives_in_the_venue_namespace(documents):
    (namespace,) = of_kind(documents, "Namespace")
    assert of_kind(documents, "Namespace")[namespace]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == (
        "restricted"
    )
    for document in documents:
        if document["kind"] != "Namespace":
            assert document["metadata"]["namespace"] == namespace, document["metadata"]["name"]
    assert documents[0]["kind"] == "Namespace", "kubectl apply creates it before what it holds"


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
        ["git", "check-ignore", "deploy/kubernetes/overlays/a-venue/secrets.env", str(OVERLAY / "secrets.env")],
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
