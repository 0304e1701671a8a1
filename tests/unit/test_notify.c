/* Readiness reaches systemd's notification socket; without one, nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "node/notify.h"

static void ready_is_sent(void **state)
{
    (void)state;
    char dir[] = "/tmp/mpool-notify-XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s/notify", dir);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    setenv("NOTIFY_SOCKET", addr.sun_path, 1);

    notify_ready();
    char buf[128] = "";
    ssize_t n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);
    assert_true(n > 0);
    assert_non_null(strstr(buf, "READY=1"));
    notify_stopping();
    n = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);
    assert_true(n > 0);
    buf[n] = '\0';
    assert_string_equal(buf, "STOPPING=1");

    unsetenv("NOTIFY_SOCKET");
    notify_ready();
    assert_true(recv(fd, buf, sizeof buf, MSG_DONTWAIT) < 0);
    close(fd);
    unlink(addr.sun_path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(ready_is_sent)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
