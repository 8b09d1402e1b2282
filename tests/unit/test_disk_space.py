"""The room left on the data folder's disk is asked of the kernel at most every few
seconds, and a disk under the reserve refuses with its own error."""

import os

import pytest

from core.domain import disk_space


class _Kernel:
    """Stands in for os.statvfs and the monotonic clock, counting the questions asked."""

    def __init__(self, free_blocks: int):
        self.free_blocks = free_blocks
        self.asked = 0
        self.now = 1000.0

    def statvfs(self, path):
        self.asked += 1
        return os.statvfs_result((4096, 4096, 10**6, 10**6, self.free_blocks, 0, 0, 0, 0, 255))

    def monotonic(self):
        return self.now


@pytest.fixture
def kernel(monkeypatch, tmp_path):
    fake = _Kernel(free_blocks=1000)
    monkeypatch.setattr(disk_space.os, "statvfs", fake.statvfs)
    monkeypatch.setattr(disk_space.time, "monotonic", fake.monotonic)
    monkeypatch.setattr(disk_space, "_last_seen", {})
    return fake


def test_the_free_space_is_asked_at_most_every_few_seconds(kernel, tmp_path):
    assert disk_space.free_bytes(str(tmp_path)) == 1000 * 4096
    kernel.free_blocks = 10
    kernel.now += disk_space.CHECKED_EVERY_S / 2
    assert disk_space.free_bytes(str(tmp_path)) == 1000 * 4096
    assert kernel.asked == 1
    kernel.now += disk_space.CHECKED_EVERY_S
    assert disk_space.free_bytes(str(tmp_path)) == 10 * 4096
    assert kernel.asked == 2


def test_under_the_reserve_the_disk_refuses_with_insufficient_storage(kernel, tmp_path):
    disk_space.require_room(str(tmp_path), 1000 * 4096)
    with pytest.raises(disk_space.DiskNearlyFull) as refused:
        disk_space.require_room(str(tmp_path), 1000 * 4096 + 1)
    assert (refused.value.code, refused.value.status) == ("disk_nearly_full", 507)


def test_a_disk_not_heard_of_is_not_called_nearly_full():
    assert not disk_space.nearly_full(None, 100)
    assert disk_space.nearly_full(0, 100) and not disk_space.nearly_full(100, 100)
