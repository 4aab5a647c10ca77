"""The venue's Kubernetes manifests in one multi-document YAML, as `kubectl kustomize` would give
them, for clusters and machines without kustomize:

    python deploy/kubernetes/render.py deploy/kubernetes/overlays/<venue> | kubectl apply -f -
    python deploy/kubernetes/render.py OVERLAY --kind Namespace,ConfigMap,Secret,Job   # the migration first

It reads the subset of kustomization.yaml that deploy/kubernetes uses, and refuses any other
field (so a kustomization it would read differently from kustomize fails here, loudly):

- `resources`: YAML files, or directories holding a kustomization.yaml (read the same way);
- `configMapGenerator` / `secretGenerator`: `name`, `literals` (KEY=value), `envs` (files of
  KEY=value lines, `#` comments), `type` (Secret); the name gets a hash of the content appended, and every
  reference to it in a pod template (envFrom, valueFrom, volumes) follows, so a changed setting
  or secret rolls the pods that use it, as kustomize does (the digits are not kustomize's own),
  a resource of a kustomization above the generator's included;
- `patches`: `path` or inline `patch`, a strategic-merge patch found by its kind and name
  (lists of containers, env, volumes and volumeMounts merged by `name`; other lists replaced;
  a null value deletes the key; `$patch: delete` deletes the resource, as deploy/kubernetes/
  one-process does with the base's one Deployment per service);
- `images`: `name` with `newName`, `newTag` or `digest`;
- `namespace` (every namespaced resource; a Namespace resource must carry that name) and
  `commonLabels` (metadata, selectors and pod templates, as kustomize does: set them once, a
  Deployment's selector cannot change afterwards).

A Secret still holding a placeholder (CHANGE-ME) is refused unless --allow-placeholders: the
example venue's values are placeholders and must never reach a cluster.
Needs PyYAML only (docs/hosting.md).
"""

import argparse
import base64
import copy
import hashlib
import json
import sys
from pathlib import Path

import yaml
from yaml.resolver import Resolver

PLACEHOLDER = "CHANGE-ME"
KUSTOMIZATION = "kustomization.yaml"
SUPPORTED = {
    "apiVersion",
    "kind",
    "resources",
    "configMapGenerator",
    "secretGenerator",
    "patches",
    "images",
    "namespace",
    "commonLabels",
}
MERGE_KEYS = {"containers", "initContainers", "env", "volumes", "volumeMounts"}  # lists merged by `name`
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "PriorityClass", "StorageClass"}
ORDER = [
    "Namespace",
    "ServiceAccount",
    "ConfigMap",
    "Secret",
    "Service",
    "PodDisruptionBudget",
    "Deployment",
    "Job",
    "Ingress",
]


class Loader(yaml.SafeLoader):
    """Plain YAML, whatever resolver another library (nameko) installed on yaml.SafeLoader."""


Loader.yaml_implicit_resolvers = {key: list(value) for key, value in Resolver.yaml_implicit_resolvers.items()}


class RenderError(Exception):
    pass


def load_yaml(path):
    with open(path, encoding="utf-8") as handle:
        return [doc for doc in yaml.load_all(handle, Loader=Loader) if doc]


# --- generators -----------------------------------------------------------------------------
def env_lines(path):
    values = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise RenderError(f"{path}:{number}: expected KEY=value")
        values[key.strip()] = value
    return values


def generated_values(directory, spec):
    values = {}
    for env_file in spec.get("envs", []):
        values.update(env_lines(directory / env_file))
    for literal in spec.get("literals", []):
        key, sep, value = literal.partition("=")
        if not sep:
            raise RenderError(f"{spec['name']}: literal {literal!r} is not KEY=value")
        values[key] = value
    unknown = set(spec) - {"name", "envs", "literals", "type"}
    if unknown:
        raise RenderError(f"{spec['name']}: generator fields not supported: {sorted(unknown)}")
    return values


def suffix(document):
    """A content hash for the generated name, spelled without vowels as kustomize's is."""
    digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode("utf-8")).hexdigest()[:10]
    return digest.translate(str.maketrans("013ae", "ghkmt"))


def generate(directory, kustomization):
    documents, renamed = [], {}
    for kind, key in (("ConfigMap", "configMapGenerator"), ("Secret", "secretGenerator")):
        for spec in kustomization.get(key, []):
            values = generated_values(directory, spec)
            document = {"apiVersion": "v1", "kind": kind, "metadata": {"name": spec["name"]}}
            if kind == "Secret":
                document["type"] = spec.get("type", "Opaque")
                document["data"] = {k: base64.b64encode(v.encode()).decode() for k, v in values.items()}
            else:
                document["data"] = values
            name = f"{spec['name']}-{suffix(document)}"
            renamed[(kind, spec["name"])] = name
            document["metadata"]["name"] = name
            documents.append(document)
    return documents, renamed


def pod_specs(document):
    spec = document.get("spec", {})
    if document["kind"] in ("Deployment", "Job", "StatefulSet", "DaemonSet"):
        yield spec.get("template", {}).get("spec", {})
    elif document["kind"] == "CronJob":
        yield spec.get("jobTemplate", {}).get("spec", {}).get("template", {}).get("spec", {})


def rename_container_references(container, new):
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            source["configMapRef"]["name"] = new("ConfigMap", source["configMapRef"]["name"])
        if "secretRef" in source:
            source["secretRef"]["name"] = new("Secret", source["secretRef"]["name"])
    for variable in container.get("env", []):
        origin = variable.get("valueFrom", {})
        if "configMapKeyRef" in origin:
            origin["configMapKeyRef"]["name"] = new("ConfigMap", origin["configMapKeyRef"]["name"])
        if "secretKeyRef" in origin:
            origin["secretKeyRef"]["name"] = new("Secret", origin["secretKeyRef"]["name"])


def rename_references(documents, renamed):
    """References of pod templates to generated ConfigMaps and Secrets get their hashed names."""

    def new(kind, name):
        return renamed.get((kind, name), name)

    for document in documents:
        for pod in pod_specs(document):
            for container in pod.get("containers", []) + pod.get("initContainers", []):
                rename_container_references(container, new)
            for volume in pod.get("volumes", []):
                if "configMap" in volume:
                    volume["configMap"]["name"] = new("ConfigMap", volume["configMap"]["name"])
                if "secret" in volume:
                    volume["secret"]["secretName"] = new("Secret", volume["secret"]["secretName"])


# --- patches --------------------------------------------------------------------------------
def merge(target, patch):
    """Strategic merge, the part of it these manifests use."""
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            merge(target[key], value)
        elif isinstance(value, list) and key in MERGE_KEYS and isinstance(target.get(key), list):
            by_name = {item["name"]: item for item in target[key]}
            for item in value:
                if item["name"] in by_name:
                    merge(by_name[item["name"]], item)
                else:
                    target[key].append(copy.deepcopy(item))
        else:
            target[key] = copy.deepcopy(value)


def apply_patches(directory, kustomization, documents):
    for entry in kustomization.get("patches", []):
        if set(entry) - {"path", "patch"}:
            raise RenderError(f"patch fields not supported: {sorted(set(entry) - {'path', 'patch'})}")
        patches = (
            load_yaml(directory / entry["path"])
            if "path" in entry
            else list(yaml.load_all(entry["patch"], Loader=Loader))
        )
        for patch in filter(None, patches):
            kind, name = patch["kind"], patch["metadata"]["name"]
            found = [d for d in documents if d["kind"] == kind and d["metadata"]["name"] == name]
            if len(found) != 1:
                raise RenderError(f"patch of {kind}/{name}: {len(found)} resources of that kind and name")
            directive = patch.get("$patch")
            if directive == "delete":
                documents.remove(found[0])
            elif directive is not None:
                raise RenderError(f"patch of {kind}/{name}: $patch: {directive} not supported (delete is)")
            else:
                merge(found[0], {k: v for k, v in patch.items() if k not in ("apiVersion", "kind")})


# --- transformers ---------------------------------------------------------------------------
def split_image(image):
    """(name, tag, digest) of `registry:5000/name:tag@sha256:…`, any part but the name possibly empty."""
    name, _, digest = image.partition("@")
    colon = name.rfind(":")
    if colon > name.rfind("/"):
        return name[:colon], name[colon + 1 :], digest
    return name, "", digest


def set_images(kustomization, documents):
    for rule in kustomization.get("images", []):
        for document in documents:
            for pod in pod_specs(document):
                for container in pod.get("containers", []) + pod.get("initContainers", []):
                    name, tag, digest = split_image(container["image"])
                    if name != rule["name"]:
                        continue
                    name = rule.get("newName", name)
                    tag = rule.get("newTag", tag)
                    digest = rule.get("digest", digest)
                    container["image"] = name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")


def set_namespace(namespace, documents):
    for document in documents:
        if document["kind"] == "Namespace":
            if document["metadata"]["name"] != namespace:
                raise RenderError(f"Namespace {document['metadata']['name']} is not the kustomization's {namespace}")
        elif document["kind"] not in CLUSTER_SCOPED:
            document["metadata"]["namespace"] = namespace


def add_labels(labels, documents):
    for document in documents:
        document["metadata"].setdefault("labels", {}).update(labels)
        spec = document.get("spec", {})
        if document["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "PodDisruptionBudget"):
            spec.setdefault("selector", {}).setdefault("matchLabels", {}).update(labels)
        if document["kind"] == "Service":
            spec.setdefault("selector", {}).update(labels)
        if "template" in spec:
            spec["template"].setdefault("metadata", {}).setdefault("labels", {}).update(labels)


# --- the whole ------------------------------------------------------------------------------
def build(directory):
    """The resources of one kustomization directory, every transformation of it applied."""
    return _build(Path(directory))[0]


def _build(directory):
    """(resources, {(kind, name): generated name} of this kustomization and those it includes)."""
    path = directory / KUSTOMIZATION
    if not path.is_file():
        raise RenderError(f"{directory}: no {KUSTOMIZATION}")
    kustomization = load_yaml(path)[0]
    unknown = set(kustomization) - SUPPORTED
    if unknown:
        raise RenderError(f"{path}: fields render.py does not implement: {sorted(unknown)} (use kustomize)")
    documents, renamed = [], {}
    for entry in kustomization.get("resources", []):
        source = directory / entry
        if source.is_dir():
            included, included_renamed = _build(source)
            documents.extend(included)
            renamed.update(included_renamed)
        else:
            documents.extend(load_yaml(source))
    generated, own = generate(directory, kustomization)
    renamed.update(own)
    documents.extend(generated)
    apply_patches(directory, kustomization, documents)
    set_images(kustomization, documents)
    if "namespace" in kustomization:
        set_namespace(kustomization["namespace"], documents)
    add_labels(kustomization.get("commonLabels", {}), documents)
    rename_references(documents, renamed)
    return documents, renamed


def secret_values(document):
    """A Secret's values as text, from `data` (base64) and `stringData`."""
    values = {k: base64.b64decode(v).decode() for k, v in (document.get("data") or {}).items()}
    values.update(document.get("stringData") or {})
    return values


def placeholders(documents):
    """The keys of each Secret still holding a placeholder: ["Secret/name: KEY, KEY"]."""
    found = []
    for document in documents:
        if document["kind"] == "Secret":
            keys = [key for key, value in secret_values(document).items() if PLACEHOLDER in value]
            if keys:
                found.append(f"Secret/{document['metadata']['name']}: {', '.join(keys)}")
    return found


def render(directory, kinds=None, allow_placeholders=False):
    documents = build(directory)
    if not allow_placeholders and placeholders(documents):
        raise RenderError(
            "placeholders left in the secrets (fill the overlay's secrets.env, docs/hosting.md): "
            + "; ".join(placeholders(documents))
        )
    if kinds:
        documents = [d for d in documents if d["kind"] in kinds]
    rank = {kind: index for index, kind in enumerate(ORDER)}
    return sorted(documents, key=lambda d: (rank.get(d["kind"], len(ORDER)), d["metadata"]["name"]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("overlay", help="a directory holding a kustomization.yaml")
    parser.add_argument("--kind", help="only these kinds, comma-separated (e.g. Namespace,ConfigMap,Secret,Job)")
    parser.add_argument("--allow-placeholders", action="store_true", help="render secrets still holding CHANGE-ME")
    args = parser.parse_args(argv)
    try:
        documents = render(args.overlay, args.kind.split(",") if args.kind else None, args.allow_placeholders)
    except (RenderError, OSError, yaml.YAMLError) as exc:
        print(f"render.py: {exc}", file=sys.stderr)
        return 1
    yaml.safe_dump_all(documents, sys.stdout, sort_keys=False, default_flow_style=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
