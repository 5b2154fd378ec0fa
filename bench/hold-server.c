// The yardstick of the engine benchmark, in C: an HTTP/1.1 server on 127.0.0.1 that answers
// every request exactly HOLD ms after its head arrived, then closes the connection.
//
// One thread, epoll, and a timerfd armed for the next answer due. Every hold is the same, so
// answers fall due in the order their requests arrived: a FIFO queue is the whole timer wheel.
// Built and started by bench/engine.bench.ts: cc -O2 -o <out> bench/hold-server.c; <out> <hold-ms>
// prints the port, then serves until killed.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDS 65536
#define QUEUE 65536
#define HEAD_MAX 8192

static const char RESPONSE[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

struct connection {
  size_t length;
  char head[HEAD_MAX];
};

struct due {
  int fd;
  struct timespec at;
};

static struct connection *connections;
static struct due queue[QUEUE];
static size_t queue_head, queue_tail;

static struct timespec now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t;
}

static struct timespec plus_ms(struct timespec t, long ms) {
  t.tv_sec += ms / 1000;
  t.tv_nsec += (ms % 1000) * 1000000L;
  if (t.tv_nsec >= 1000000000L) {
    t.tv_sec += 1;
    t.tv_nsec -= 1000000000L;
  }
  return t;
}

static int reached(struct timespec at, struct timespec t) {
  return t.tv_sec > at.tv_sec || (t.tv_sec == at.tv_sec && t.tv_nsec >= at.tv_nsec);
}

static void arm(int timer) {
  struct itimerspec spec = {0};
  if (queue_head != queue_tail) spec.it_value = queue[queue_head % QUEUE].at;
  timerfd_settime(timer, TFD_TIMER_ABSTIME, &spec, NULL);
}

int main(int argc, char **argv) {
  long hold_ms = argc > 1 ? atol(argv[1]) : 200;
  connections = calloc(MAX_FDS, sizeof *connections);
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int yes = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = 0};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, (struct sockaddr *)&address, sizeof address) || listen(listener, 4096)) {
    perror("hold-server");
    return 1;
  }
  socklen_t size = sizeof address;
  getsockname(listener, (struct sockaddr *)&address, &size);
  printf("%d\n", ntohs(address.sin_port));
  fflush(stdout);

  int poll = epoll_create1(0);
  int timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  struct epoll_event event = {.events = EPOLLIN, .data.fd = listener};
  epoll_ctl(poll, EPOLL_CTL_ADD, listener, &event);
  event.data.fd = timer;
  epoll_ctl(poll, EPOLL_CTL_ADD, timer, &event);

  struct epoll_event ready[256];
  for (;;) {
    int count = epoll_wait(poll, ready, 256, -1);
    // Everything this wait returned had arrived by the time it returned.
    struct timespec arrived = now();
    for (int i = 0; i < count; i++) {
      int fd = ready[i].data.fd;
      if (fd == listener) {
        int client;
        while ((client = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          if (client >= MAX_FDS) {
            close(client);
            continue;
          }
          connections[client].length = 0;
          struct epoll_event read_event = {.events = EPOLLIN, .data.fd = client};
          epoll_ctl(poll, EPOLL_CTL_ADD, client, &read_event);
        }
      } else if (fd == timer) {
        uint64_t expirations;
        if (read(timer, &expirations, sizeof expirations) < 0 && errno != EAGAIN) perror("timer");
        struct timespec t = now();
        while (queue_head != queue_tail && reached(queue[queue_head % QUEUE].at, t)) {
          int client = queue[queue_head++ % QUEUE].fd;
          // A client that gave up gets nothing (MSG_NOSIGNAL: no SIGPIPE for it).
          send(client, RESPONSE, sizeof RESPONSE - 1, MSG_NOSIGNAL);
          close(client);
        }
        arm(timer);
      } else {
        struct connection *connection = &connections[fd];
        ssize_t got = read(fd, connection->head + connection->length, HEAD_MAX - 1 - connection->length);
        if (got <= 0) {
          if (got < 0 && errno == EAGAIN) continue;
          // Closed before its head was complete: nothing to answer.
          epoll_ctl(poll, EPOLL_CTL_DEL, fd, NULL);
          close(fd);
          continue;
        }
        connection->length += (size_t)got;
        connection->head[connection->length] = '\0';
        if (!strstr(connection->head, "\r\n\r\n")) continue;
        epoll_ctl(poll, EPOLL_CTL_DEL, fd, NULL);
        int was_empty = queue_head == queue_tail;
        queue[queue_tail++ % QUEUE] = (struct due){fd, plus_ms(arrived, hold_ms)};
        if (was_empty) arm(timer);
      }
    }
  }
}
