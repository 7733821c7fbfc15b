"""Ids sort by creation, also within one millisecond and across threads, and never repeat."""
import threading

from gallery.core.ids import ID_LENGTH, new_id


def test_ids_made_back_to_back_sort_in_creation_order():
    ids = [new_id() for _ in range(20000)]  # many share a millisecond
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(len(i) == ID_LENGTH for i in ids)


def test_ids_from_several_threads_never_collide():
    made: list[list[str]] = [[] for _ in range(4)]

    def make(bucket):
        bucket.extend(new_id() for _ in range(5000))

    threads = [threading.Thread(target=make, args=(bucket,)) for bucket in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [i for bucket in made for i in bucket]
    assert len(set(every)) == len(every)
    assert all(bucket == sorted(bucket) for bucket in made)
