"""Lesson 02's checks: the reference answers pass, typical wrong answers fail with their message."""

from __future__ import annotations

from check_helpers import fails, launch, passes

from labkit.checks import get_exercise

LESSON = "02-create-an-ami"
STACK = [{"Key": "Stack", "Value": "gis"}]
LEAVE_OUT_SCRATCH = [{"DeviceName": "/dev/sdg", "NoDevice": ""}]
BOTH = [{"ResourceType": "image", "Tags": STACK}, {"ResourceType": "snapshot", "Tags": STACK}]


def bake(lab, *, instance=None, name="gis-postgres-v1", mappings=LEAVE_OUT_SCRATCH, tags=BOTH):
    ec2 = lab.client("ec2")
    image = ec2.create_image(
        InstanceId=instance or lab.ids["db_builder"],
        Name=name,
        Description="PostgreSQL 16 with PostGIS and pgAdmin 4",
        BlockDeviceMappings=mappings,
        TagSpecifications=tags,
    )["ImageId"]
    ec2.get_waiter("image_available").wait(ImageIds=[image])
    return image


def launch_db(lab, image, *, name="gis-db-1", groups=None):
    """A t3.medium of the image, tagged with its Name (if any), in these security groups."""
    extra = {"SecurityGroupIds": groups} if groups else {}
    if name:
        extra["TagSpecifications"] = [
            {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}
        ]
    return launch(lab, image, instance_type="t3.medium", **extra)


class TestBakeGisImage:
    def test_reference_answer_passes(self, lab):
        """Root and data volumes kept, scratch left out, image and snapshots tagged: passes."""
        bake(lab)
        passes("create-bake-gis-image", lab.sandbox)

    def test_builder_terminated_after_the_image(self, lab):
        """The image made, then the builder terminated: still passes (the image is what counts)."""
        bake(lab)
        lab.client("ec2").terminate_instances(InstanceIds=[lab.ids["db_builder"]])
        passes("create-bake-gis-image", lab.sandbox)

    def test_builder_terminated_before_any_image(self, lab):
        """The builder terminated with no image made: the check says so, and does not suggest
        create_image on it (the sandbox refuses that)."""
        lab.client("ec2").terminate_instances(InstanceIds=[lab.ids["db_builder"]])
        result = fails("create-bake-gis-image", lab.sandbox)
        assert result.message == (
            f"the database builder {lab.ids['db_builder']} (gis-builder) is terminated, and no "
            "image was made from it: an image can only be created from a running or stopped "
            "instance"
        )
        assert "create_image" not in result.hint

    def test_nothing_made(self, lab):
        """With no image yet, the check names the builder."""
        assert fails("create-bake-gis-image", lab.sandbox).message == (
            f"no image has been made from the database builder {lab.ids['db_builder']} "
            "(gis-builder) yet"
        )

    def test_forgot_no_device(self, lab):
        """Keeping every volume fails: the scratch volume would travel in the image."""
        image = bake(lab, mappings=[])
        assert fails("create-bake-gis-image", lab.sandbox).message == (
            f"{image} keeps the scratch volume /dev/sdg: every instance launched from it would "
            "get a copy of the builder's temporary files"
        )

    def test_tagged_image_only(self, lab):
        """Tags on the image alone fail: they do not reach the snapshots."""
        image = bake(lab, tags=[{"ResourceType": "image", "Tags": STACK}])
        message = fails("create-bake-gis-image", lab.sandbox).message
        assert message.startswith(f"{image} is tagged Stack=gis, but its snapshots snap-")
        assert message.endswith("are not: tags on an image do not reach its snapshots")

    def test_wrong_instance(self, lab):
        """An image of another instance, with the right name, fails naming where it came from."""
        other = launch_db(lab, lab.ids["base_image"], name="web-builder")
        image = bake(lab, instance=other, mappings=[])
        assert fails("create-bake-gis-image", lab.sandbox).message == (
            f"{image} is named gis-postgres-v1, but it was made from {other}, not from the "
            f"database builder {lab.ids['db_builder']} (gis-builder)"
        )


class TestLaunchGis:
    def test_reference_answer_passes(self, lab):
        """An instance from gis-postgres-v1, named gis-db-1, in the gis-db group: passes."""
        launch_db(lab, bake(lab), groups=[lab.ids["db_security_group"]])
        passes("create-launch-gis", lab.sandbox)

    def test_image_not_made(self, lab):
        """Without Exercise 2.2's image, the check says to do that first."""
        assert (
            fails("create-launch-gis", lab.sandbox).message
            == "there is no image named gis-postgres-v1 yet: do Exercise 2.2 first"
        )

    def test_launched_from_base_image(self, lab):
        """An instance of the base image does not count: nothing runs from the new image."""
        image = bake(lab)
        launch_db(lab, lab.ids["base_image"], groups=[lab.ids["db_security_group"]])
        result = fails("create-launch-gis", lab.sandbox)
        assert result.message == "no instance is running from your image gis-postgres-v1 yet"
        # Finding the image is the skill the exercise teaches: the ❌ does not give its ID away.
        assert image not in result.message and image not in result.hint

    def test_forgot_security_group(self, lab):
        """Without SecurityGroupIds the instance lands in the default group, and fails."""
        instance = launch_db(lab, bake(lab))
        message = fails("create-launch-gis", lab.sandbox).message
        assert message.startswith(f"{instance} is in the security group default (sg-")
        assert message.endswith("not gis-db: clients could not reach PostgreSQL on port 5432")

    def test_forgot_name_tag(self, lab):
        """An untagged instance fails, naming the tag it needs."""
        instance = launch_db(lab, bake(lab), name=None, groups=[lab.ids["db_security_group"]])
        assert fails("create-launch-gis", lab.sandbox).message == (
            f"{instance} runs gis-postgres-v1, but it is not tagged Name=gis-db-1 (its tags: none)"
        )


def web_image(lab, tags=({"Key": "Project", "Value": "web"},)):
    """Step 3's image: web-server-v1, made from a builder, tagged Project=web."""
    ec2 = lab.client("ec2")
    builder = launch(lab, lab.ids["base_image"])
    image = ec2.create_image(
        InstanceId=builder,
        Name="web-server-v1",
        TagSpecifications=[{"ResourceType": "image", "Tags": list(tags)}],
    )["ImageId"]
    return image


class TestTagWithCli:
    def test_reference_answer_passes(self, lab):
        """create-tags run with the AWS CLI (lab.aws, as %aws does) passes."""
        image = web_image(lab)
        lab.aws(f"ec2 create-tags --resources {image} --tags Key=Release,Value=1.0")
        result = passes("create-tag-with-cli", lab.sandbox)
        assert result.message == f"{image} (web-server-v1) is tagged Release=1.0"

    def test_no_image_fails(self, lab):
        """Without Step 3's image there is nothing to tag."""
        result = fails("create-tag-with-cli", lab.sandbox)
        assert result.message == "you have no image named web-server-v1 in us-east-1"

    def test_untagged_image_fails(self, lab):
        """The image without the tag: its own tags are named."""
        image = web_image(lab)
        result = fails("create-tag-with-cli", lab.sandbox)
        assert (
            result.message == f"{image} (web-server-v1) has no tag Release (its tags: Project=web)"
        )
        assert result.hint == (
            "aws ec2 create-tags takes the image's ID in --resources and the tag in --tags, as "
            "the exercise describes"
        )
        assert "Release" not in result.hint  # the ❌ points at the form, not the answer

    def test_wrong_value_fails(self, lab):
        """Release=1 is not Release=1.0."""
        image = web_image(lab, tags=({"Key": "Release", "Value": "1"},))
        result = fails("create-tag-with-cli", lab.sandbox)
        assert result.message == (
            f"{image} (web-server-v1) is tagged Release='1', not Release='1.0'"
        )


class TestFindDataSnapshot:
    def bake(self, lab) -> dict:
        ec2 = lab.client("ec2")
        exec(get_exercise("create-bake-gis-image").solution, {"ec2": ec2, "lab": lab})
        named = [{"Name": "name", "Values": ["gis-postgres-v1"]}]
        image = ec2.describe_images(Owners=["self"], Filters=named)["Images"][0]
        return {m["DeviceName"]: m["Ebs"]["SnapshotId"] for m in image["BlockDeviceMappings"]}

    def test_reference_answer_passes(self, lab):
        self.bake(lab)
        names = {"ec2": lab.client("ec2"), "lab": lab}
        exec(get_exercise("create-find-data-snapshot").solution, names)
        passes("create-find-data-snapshot", lab.sandbox, snapshot_id=names["my_data_snapshot_id"])

    def test_no_image_yet(self, lab):
        result = fails("create-find-data-snapshot", lab.sandbox, snapshot_id="snap-0")
        assert (
            result.message == "there is no image named gis-postgres-v1 yet: do Exercise 2.2 first"
        )

    def test_root_snapshot(self, lab):
        """The root volume's snapshot is named as such; the tip asks, it does not tell."""
        root = self.bake(lab)["/dev/xvda"]
        result = fails("create-find-data-snapshot", lab.sandbox, snapshot_id=root)
        assert result.message == (
            f"{root} is the snapshot of /dev/xvda, the root volume (the system and the software), "
            "not of the data volume /dev/sdf"
        )
        assert "snap-" not in result.hint

    def test_a_volume_of_the_builder(self, lab):
        self.bake(lab)
        filters = [{"Name": "attachment.instance-id", "Values": [lab.ids["db_builder"]]}]
        volume = lab.client("ec2").describe_volumes(Filters=filters)["Volumes"][0]["VolumeId"]
        result = fails("create-find-data-snapshot", lab.sandbox, snapshot_id=volume)
        assert result.message.startswith(f"{volume} is a volume")

    def test_someone_elses_snapshot(self, lab):
        self.bake(lab)
        result = fails(
            "create-find-data-snapshot", lab.sandbox, snapshot_id="snap-0123456789abcdef0"
        )
        assert result.message == (
            "snap-0123456789abcdef0 is not one of the snapshots of your image gis-postgres-v1"
        )
