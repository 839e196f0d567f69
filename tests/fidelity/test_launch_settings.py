"""R06: what a launch chooses besides the image: the instance type and security groups."""

from __future__ import annotations

from .conftest import AL2023, base, error, launch


class TestSecurityGroups:
    def _default_group(self, ec2, vpc_id: str) -> str:
        groups = ec2.describe_security_groups(
            Filters=[
                {"Name": "vpc-id", "Values": [vpc_id]},
                {"Name": "group-name", "Values": ["default"]},
            ]
        )["SecurityGroups"]
        return groups[0]["GroupId"]

    def test_no_group_gets_the_default_vpcs_default_group(self, sandbox):
        """R06: with no security group named, the instance is in the VPC's default group."""
        ec2 = sandbox.client("ec2")
        instance = launch(ec2, base(sandbox), InstanceType="t3.micro")
        expected = [
            {"GroupName": "default", "GroupId": self._default_group(ec2, instance["VpcId"])}
        ]
        assert instance["SecurityGroups"] == expected
        found = ec2.describe_instances(InstanceIds=[instance["InstanceId"]])["Reservations"]
        assert found[0]["Instances"][0]["SecurityGroups"] == expected

    def test_a_subnet_of_another_vpc_gets_that_vpcs_default_group(self, sandbox):
        """R06: launched into a subnet of a new VPC, the instance is in that VPC's default group."""
        ec2 = sandbox.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.1.0/24")["Subnet"]["SubnetId"]
        instance = launch(ec2, base(sandbox), InstanceType="t3.micro", SubnetId=subnet)
        assert [g["GroupId"] for g in instance["SecurityGroups"]] == [self._default_group(ec2, vpc)]

    def test_a_named_group_replaces_the_default(self, sandbox):
        """R06: a group named by name is the instance's only group."""
        ec2 = sandbox.client("ec2")
        ec2.create_security_group(GroupName="web", Description="web servers")
        instance = launch(ec2, base(sandbox), InstanceType="t3.micro", SecurityGroups=["web"])
        assert [g["GroupName"] for g in instance["SecurityGroups"]] == ["web"]


class TestInstanceTypes:
    MISMATCH = (
        "The architecture '{type}' of the specified instance type does not match the "
        "architecture '{image}' of the specified AMI. Specify an instance type and an AMI that "
        "have matching architectures, and try again. You can use 'describe-instance-types' or "
        "'describe-images' to discover the architecture of the instance type or AMI."
    )

    def _refused(self, sandbox, key: str, instance_type: str) -> dict:
        ec2 = sandbox.client("ec2")
        err = error(
            ec2.run_instances,
            ImageId=base(sandbox, key),
            InstanceType=instance_type,
            MinCount=1,
            MaxCount=1,
        )
        assert ec2.describe_instances()["Reservations"] == []
        assert ec2.describe_volumes()["Volumes"] == []
        return err

    def test_arm64_image_on_an_x86_type_is_refused(self, sandbox):
        """An arm64 image on t3.micro is InvalidParameterValue in AWS's words; nothing starts."""
        assert self._refused(sandbox, "al2023-arm64", "t3.micro") == {
            "Code": "InvalidParameterValue",
            "Message": self.MISMATCH.format(type="x86_64", image="arm64"),
        }

    def test_x86_image_on_a_graviton_type_is_refused(self, sandbox):
        """An x86_64 image on t4g.micro (Graviton) is refused the other way round."""
        assert self._refused(sandbox, AL2023, "t4g.micro") == {
            "Code": "InvalidParameterValue",
            "Message": self.MISMATCH.format(type="arm64", image="x86_64"),
        }

    def test_windows_has_no_graviton_type(self, sandbox):
        """Windows Server (x86_64 only) on m6g.large is refused by the same rule."""
        err = self._refused(sandbox, "windows-2022-base", "m6g.large")
        assert err["Message"] == self.MISMATCH.format(type="arm64", image="x86_64")

    def test_matching_architectures_launch(self, sandbox):
        """arm64 on t4g.micro and x86_64 on t3.micro launch, each showing its architecture."""
        ec2 = sandbox.client("ec2")
        arm = launch(ec2, base(sandbox, "al2023-arm64"), InstanceType="t4g.micro")
        x86 = launch(ec2, base(sandbox), InstanceType="t3.micro")
        assert (arm["Architecture"], x86["Architecture"]) == ("arm64", "x86_64")

    def test_unknown_instance_type_is_refused(self, sandbox):
        """A type EC2 does not have is InvalidParameterValue naming it; nothing starts."""
        assert self._refused(sandbox, AL2023, "t3.mega") == {
            "Code": "InvalidParameterValue",
            "Message": "Invalid value 't3.mega' for InstanceType.",
        }
