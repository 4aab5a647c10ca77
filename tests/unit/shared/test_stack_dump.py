import io

import eventlet

from shared import stack_dump


def test_a_stack_dump_names_the_function_each_waiting_greenthread_is_in():
    def waiting_for_a_reply_that_never_comes():
        eventlet.sleep(30)

    waiter = eventlet.spawn(waiting_for_a_reply_that_never_comes)
    eventlet.sleep(0)  # let it start and suspend
    out = io.StringIO()
    try:
        stack_dump.dump(out=out)
    finally:
        waiter.kill()
    text = out.getvalue()
    assert "waiting_for_a_reply_that_never_comes" in text
    assert text.rstrip().endswith("--- end of stack dump ---")


def test_a_stack_dump_passes_over_a_weak_proxy_whose_object_is_gone():
    import weakref

    class Gone:
        pass

    thing = Gone()
    dead = weakref.proxy(thing)
    del thing  # the proxy stays in gc's objects; asking it its class raises ReferenceError
    out = io.StringIO()
    stack_dump.dump(out=out)
    assert dead is not None and out.getvalue().rstrip().endswith("--- end of stack dump ---")
