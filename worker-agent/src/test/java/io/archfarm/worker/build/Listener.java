package io.archfarm.worker.build;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A TCP port that accepts and closes every connection, as a probe's target. */
final class Listener {

    private Listener() {}

    static ServerSocket open(InetAddress address) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(address, 0));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket ignored = server.accept()) {
                    // reached: that is all a probe asks
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return server;
    }
}
