"""Lineage: base image → image → copies → shares, drawn from the sandbox's state."""

from __future__ import annotations

import pytest
from sandbox_state import PARTNER

from labkit import Lab
from labkit.catalog import image_id
from labkit.widgets import Lineage
from labkit.widgets.lineage import Edge, Graph, Node, family, svg


def copy_to(lab, image: str, region: str, name: str, account: str = "learner") -> str:
    ec2 = lab.client("ec2", region, account)
    copy = ec2.copy_image(SourceImageId=image, SourceRegion="us-east-1", Name=name)["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[copy])  # a pending copy cannot be shared
    return copy


class TestFromSandbox:
    def test_created_from_the_base_image(self, lab, web_image):
        """Lesson 3's image shows as launched from Amazon Linux and imaged."""
        lineage = Lineage(lab)
        base = image_id("al2023-x86_64", "us-east-1")
        assert lineage.graph.lines() == [
            f"{base} (137112412989, us-east-1) launched and imaged as "
            f"{web_image} (learner, us-east-1)"
        ]
        assert "amazon" in lineage.picture.value  # the base image's row, by its alias
        assert web_image in lineage.picture.value and "web-server-v1" in lineage.picture.value

    def test_copies_and_shares(self, lab, web_image):
        """A copy to Ireland shared with the partner: one copy arrow and one share."""
        copy = copy_to(lab, web_image, "eu-west-1", "web-eu")
        lab.client("ec2", "eu-west-1").modify_image_attribute(
            ImageId=copy, LaunchPermission={"Add": [{"UserId": PARTNER}]}
        )
        lineage = Lineage(lab)
        lines = lineage.graph.lines()
        assert f"{web_image} (learner, us-east-1) copied to {copy} (learner, eu-west-1)" in lines
        assert f"{copy} (learner, eu-west-1) is shared with partner in eu-west-1" in lines
        assert "eu-west-1 (Ireland)" in lineage.picture.value
        assert "partner can launch<" in lineage.picture.value
        picture = lineage.picture.value
        assert [picture.count(f'class="amilab-edge-{k}"') for k in ("create", "copy", "share")] == [
            1,
            1,
            1,
        ]
        assert "copied to" in lineage.words.value

    def test_a_deregistered_source_is_drawn_as_gone_with_its_owner_unknown(self, lab, web_image):
        """After the source is deregistered (as Packer does with its first image), the copy's
        source is drawn in an 'owner unknown' row, named as EC2 lets the learner see it."""
        copy = copy_to(lab, web_image, "eu-west-1", "web-eu")
        lab.client("ec2").deregister_image(ImageId=web_image)
        lineage = Lineage(lab)
        assert (
            f"{web_image} (gone, or not shared, us-east-1) copied to {copy} (learner, eu-west-1)"
            in (lineage.graph.lines())
        )
        picture = lineage.picture.value
        assert "owner unknown" in picture and "(gone, or not shared)" in picture
        assert "another account" not in picture

    def test_cross_account_copy(self, lab, web_image):
        """The partner's copy of a shared image is in the partner's row, arrowed from the source."""
        ec2 = lab.client("ec2")
        ec2.modify_image_attribute(
            ImageId=web_image, LaunchPermission={"Add": [{"UserId": PARTNER}]}
        )
        (image,) = ec2.describe_images(ImageIds=[web_image])["Images"]
        ec2.modify_snapshot_attribute(
            SnapshotId=image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"],
            Attribute="createVolumePermission",
            OperationType="add",
            UserIds=[PARTNER],
        )
        theirs = copy_to(lab, web_image, "us-east-1", "partner-web", account="partner")
        lineage = Lineage(lab)
        assert lineage.graph.nodes[("us-east-1", theirs)].owner_id == PARTNER
        assert f"copied to {theirs} (partner, us-east-1)" in "\n".join(lineage.graph.lines())

    def test_public_image_badge(self, lab, web_image):
        """A public image carries a public badge instead of a share arrow."""
        ec2 = lab.client("ec2")
        ec2.disable_image_block_public_access()
        ec2.modify_image_attribute(ImageId=web_image, LaunchPermission={"Add": [{"Group": "all"}]})
        lineage = Lineage(lab)
        assert ">public</text>" in lineage.picture.value
        assert (
            f"{web_image} (learner, us-east-1) is shared with everyone (public) in us-east-1"
            in (lineage.graph.lines())
        )

    def test_refresh_reads_new_state(self, lab, web_image):
        """Refresh picks up a copy made after the widget was drawn."""
        lineage = Lineage(lab)
        copy = copy_to(lab, web_image, "ap-southeast-2", "web-syd")
        assert copy not in lineage.picture.value
        lineage.refresh_button.click()
        assert copy in lineage.picture.value


class TestFocus:
    def test_family_of_one_image(self, lab, web_image):
        """Family of shows only the images linked to the chosen one."""
        copy = copy_to(lab, web_image, "eu-west-1", "web-eu")
        lab.client("ec2", "us-west-2").copy_image(
            SourceImageId=image_id("ubuntu-24.04-x86_64", "us-west-2"),
            SourceRegion="us-west-2",
            Name="my-ubuntu",
        )
        lineage = Lineage(lab)
        assert "my-ubuntu" in lineage.picture.value
        lineage.focus_picker.value = copy
        assert "my-ubuntu" not in lineage.picture.value
        assert web_image in lineage.picture.value and copy in lineage.picture.value

    def test_unknown_image_id_is_an_error_naming_it(self, lab):
        """Lineage(image_id=<an ID no lab account owns>) raises a ValueError naming the ID."""
        with pytest.raises(ValueError, match="image_id 'ami-0123456789abcdef0': no image"):
            Lineage(lab, image_id="ami-0123456789abcdef0")

    def test_unknown_focus_later_is_a_message(self, lab):
        """Refreshing on an ID no lab account owns says so and shows every image."""
        lineage = Lineage(lab)
        lineage.refresh("ami-0123456789abcdef0")
        assert "ami-0123456789abcdef0 is not an image of the lab's accounts" in (
            lineage.message_text
        )
        assert lineage.focus == ""

    def test_family_is_pure(self):
        """family() follows copy and create arrows both ways, and keeps the family's shares."""
        a, b, c = ("us-east-1", "ami-a"), ("eu-west-1", "ami-b"), ("us-east-1", "ami-c")
        graph = Graph(
            {k: Node(k[0], k[1], "111111111111") for k in (a, b, c)},
            [Edge("copy", a, b), Edge("share", b, ("eu-west-1", PARTNER))],
        )
        assert set(family(graph, b).nodes) == {a, b}
        assert len(family(graph, b).edges) == 2
        assert set(family(graph, c).nodes) == {c}


class TestEmpty:
    def test_no_images_yet(self):
        """Before the learner has images the picture says how to get one."""
        lab = Lab("00-welcome", quiet=True)
        try:
            lineage = Lineage(lab)
            assert "No images of the lab's accounts yet" in lineage.picture.value
            assert lineage.words.value == ""
        finally:
            lab.stop()

    def test_svg_escapes_names(self):
        """Image names are escaped in the picture."""
        node = Node("us-east-1", "ami-a", "111111111111", name="<script>")
        assert "&lt;script&gt;" in svg(Graph({node.key: node}))
