package dev.steadfast.jdbc.internal.liveness;

import com.mysql.cj.conf.PropertySet;
import com.mysql.cj.protocol.StandardSocketFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;

/**
 * Socket factory for MySQL Connector/J ({@code socketFactory=} option): the standard factory with a
 * channel-backed socket, so that borrowing can check it without a round trip.
 */
public final class MySqlSocketFactory extends StandardSocketFactory {

    @Override
    protected Socket createSocket(PropertySet props) {
        try {
            return ChannelSockets.newSocket();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
