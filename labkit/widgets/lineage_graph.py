"""Where the lab's images came from and where they went, read from the sandbox as a graph.

Each lab account's own boto3 clients read the images it owns, their ``SourceImageId`` and
``SourceImageRegion`` (the parent: the copied image, or for an image with a
``SourceInstanceId`` the image its instance was launched from), and their launch permissions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from ..accounts import ACCOUNTS, REGIONS
from ._base import is_encrypted

__all__ = ["EVERYONE", "Edge", "Graph", "Key", "Node", "account_name", "family", "read_graph"]

Key = tuple[str, str]  # (Region, image ID) or, for a share's grantee, (Region, account ID)

EVERYONE = "all"


@dataclass(frozen=True)
class Node:
    """An image in one Region."""

    region: str
    image_id: str
    owner_id: str
    name: str = ""
    public: bool = False
    encrypted: bool = False
    #: The owner's alias, for verified providers (``amazon``).
    alias: str = ""
    #: Owned by an account outside the lab (Amazon's base images): drawn only when it starts
    #: a family.
    outside: bool = False

    @property
    def key(self) -> Key:
        return (self.region, self.image_id)


@dataclass(frozen=True)
class Edge:
    """``copy`` (CopyImage), ``create`` (CreateImage from an instance of it) or ``share``."""

    kind: str
    source: Key
    #: An image's key; for a share, (Region, grantee account ID or ``"all"``).
    target: Key


@dataclass
class Graph:
    nodes: dict[Key, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The picture in words, one line per arrow (for screen readers and tests)."""
        out = []
        for edge in self.edges:
            source = self.nodes[edge.source]
            owner = (
                "gone, or not shared" if source.owner_id == "?" else account_name(source.owner_id)
            )
            start = f"{source.image_id} ({owner}, {source.region})"
            if edge.kind == "share":
                grantee = edge.target[1]
                who = "everyone (public)" if grantee == EVERYONE else account_name(grantee)
                out.append(f"{start} is shared with {who} in {edge.target[0]}")
                continue
            target = self.nodes[edge.target]
            end = f"{target.image_id} ({account_name(target.owner_id)}, {target.region})"
            verb = "copied to" if edge.kind == "copy" else "launched and imaged as"
            out.append(f"{start} {verb} {end}")
        for node in self.nodes.values():
            if not node.outside and not any(node.key in (e.source, e.target) for e in self.edges):
                owner = account_name(node.owner_id)
                out.append(f"{node.image_id} ({owner}, {node.region}) on its own")
        return out


def account_name(account_id: str) -> str:
    """A lab account's name (learner, partner, seller); any other account by its ID."""
    for name, number in ACCOUNTS.items():
        if number == account_id:
            return name
    return account_id


def read_graph(sandbox: Any) -> Graph:
    """Every image the lab's accounts own, and how they are related, as their owners see it."""
    graph = Graph()
    pending_sources: list[tuple[Key, str, str, str]] = []  # (child, account, Region, instance)
    for account in ACCOUNTS:
        for region in REGIONS:
            ec2 = sandbox.client("ec2", region, account)
            for image in ec2.describe_images(Owners=["self"])["Images"]:
                node = _node(region, image)
                graph.nodes[node.key] = node
                source_id = image.get("SourceImageId")
                source = (image.get("SourceImageRegion") or region, source_id)
                if image.get("SourceInstanceId"):
                    # CreateImage: the parent is the image its instance was launched from (R47).
                    if source_id:
                        graph.edges.append(Edge("create", source, node.key))
                    else:
                        pending_sources.append(
                            (node.key, account, region, image["SourceInstanceId"])
                        )
                elif source_id:
                    graph.edges.append(Edge("copy", source, node.key))
                for grantee in _grantees(ec2, image["ImageId"]):
                    graph.edges.append(Edge("share", node.key, (region, grantee)))
    for child, account, region, instance_id in pending_sources:
        base = _instance_image(sandbox.client("ec2", region, account), instance_id)
        if base and base != child[1]:
            graph.edges.append(Edge("create", (region, base), child))
    # Sources outside the lab's accounts (Amazon's images, a stranger's): read as the child's
    # owner sees them, or drawn from the ID alone.
    for edge in list(graph.edges):
        if edge.kind != "share" and edge.source not in graph.nodes:
            graph.nodes[edge.source] = _outside_node(sandbox, graph.nodes[edge.target], edge.source)
    return graph


def _node(region: str, image: dict[str, Any], outside: bool = False) -> Node:
    return Node(
        region=region,
        image_id=image["ImageId"],
        owner_id=image.get("OwnerId", ""),
        name=image.get("Name", ""),
        public=bool(image.get("Public")),
        encrypted=is_encrypted(image),
        alias=image.get("ImageOwnerAlias") or "",
        outside=outside,
    )


def _grantees(ec2: Any, image_id: str) -> list[str]:
    answer = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")
    found = []
    for permission in answer.get("LaunchPermissions", []):
        if "UserId" in permission:
            found.append(permission["UserId"])
        elif permission.get("Group") == EVERYONE:
            found.append(EVERYONE)
        else:
            found.append(
                permission.get("OrganizationArn") or permission.get("OrganizationalUnitArn")
            )
    return [g for g in found if g]


def _instance_image(ec2: Any, instance_id: str) -> str | None:
    try:
        reservations = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"]
    except ClientError:
        return None  # the instance is long gone
    for reservation in reservations:
        for instance in reservation["Instances"]:
            return instance.get("ImageId")
    return None


def _outside_node(sandbox: Any, child: Node, key: Key) -> Node:
    region, image_id = key
    name = account_name(child.owner_id)
    try:
        ec2 = sandbox.client("ec2", region, name if name in ACCOUNTS else "learner")
        (image,) = ec2.describe_images(ImageIds=[image_id], IncludeDeprecated=True)["Images"]
        node = _node(region, image, outside=image.get("OwnerId") not in ACCOUNTS.values())
        return node
    except (ClientError, ValueError):
        # Deregistered, or never shared with this account: EC2 answers the same for both.
        return Node(region, image_id, owner_id="?", name="(gone, or not shared)", outside=True)


def family(graph: Graph, key: Key) -> Graph:
    """Only the images connected to one image by copies and creations, and their shares."""
    if key not in graph.nodes:
        return Graph()
    links: dict[Key, set[Key]] = {}
    for edge in graph.edges:
        if edge.kind != "share":
            links.setdefault(edge.source, set()).add(edge.target)
            links.setdefault(edge.target, set()).add(edge.source)
    seen, todo = {key}, [key]
    while todo:
        for other in links.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return Graph(
        {k: n for k, n in graph.nodes.items() if k in seen},
        [e for e in graph.edges if e.source in seen],
    )
