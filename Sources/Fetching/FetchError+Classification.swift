import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import NIOSSL

extension FetchError {
    /// Maps an error from AsyncHTTPClient or SwiftNIO to the fetch failure it means for `url`.
    ///
    static func classify(_ error: any Error, url: String, host: String, configuration: FetchConfiguration)
        -> FetchError
    {
        if let error = error as? FetchError {
            return error
        }
        if let error = error as? HTTPClientError {
            return self.classify(error, url: url, configuration: configuration)
        }
        if let error = error as? IOError {
            return self.classify(errno: error.errnoCode, description: "\(error)", url: url)
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout:
                return .timeout(
                    url: url, reason: "could not connect within \(Self.seconds(configuration.connectTimeout))")
            case .eof, .alreadyClosed, .ioOnClosedChannel, .outputClosed, .inputClosed:
                return .connection(url: url, reason: "the server closed the connection before the response ended")
            default:
                return .connection(url: url, reason: "connection failed (\(error))")
            }
        }
        if let error = error as? SocketAddressError.UnknownHost {
            return .dns(url: url, host: error.host, reason: error.errorDescription)
        }
        if error is SocketAddressError {
            return .dns(url: url, host: host, reason: "\(error)")
        }
        if let error = error as? HTTPParserError {
            if error == .invalidEOFState {
                return .connection(url: url, reason: "the server closed the connection before the response ended")
            }
            return .connection(url: url, reason: "the server sent a malformed HTTP response (\(error))")
        }

        if let error = error as? NIOConnectionError {
            return self.classify(error, url: url, host: host, configuration: configuration)
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOTLSUnwrappingError {
            return .tls(url: url, reason: "\(error)")
        }
        if let error = error as? NIOHTTPDecompression.DecompressionError {
            if error == .limit {
                return .tooLarge(url: url, limit: configuration.maxBodyBytes)
            }
            switch error {
            case .inflationError(let code):
                return .connection(url: url, reason: "the compressed body is corrupt (zlib error \(code))")
            case .initializationError(let code):
                return .connection(url: url, reason: "the body could not be decompressed (zlib error \(code))")
            default:
                return .connection(url: url, reason: "the compressed body is corrupt (\(error))")
            }
        }
        if error is NIOHTTPDecompression.ExtraDecompressionError {
            return .connection(url: url, reason: "the compressed body is damaged (\(error))")
        }
        return .connection(url: url, reason: "request failed (\(error))")
    }

    private static func classify(_ error: HTTPClientError, url: String, configuration: FetchConfiguration)
        -> FetchError
    {
        switch error {
        case .deadlineExceeded, .readTimeout, .writeTimeout:
            return .timeout(
                url: url, reason: "no complete response within \(Self.seconds(configuration.requestTimeout))")
        case .connectTimeout, .getConnectionFromPoolTimeout:
            return .timeout(url: url, reason: "could not connect within \(Self.seconds(configuration.connectTimeout))")
        case .tlsHandshakeTimeout:
            return .tls(url: url, reason: "TLS handshake timed out")
        case .remoteConnectionClosed, .uncleanShutdown, .bodyLengthMismatch:
            return .connection(url: url, reason: "the server closed the connection before the response ended")
        case .invalidURL, .emptyHost, .emptyScheme:
            return .invalidURL(url: url, reason: "the HTTP client rejected it (\(error.shortDescription))")
        default:
            if error.shortDescription == HTTPClientError.unsupportedScheme("").shortDescription {
                return .invalidURL(url: url, reason: "only http and https are fetched")
            }
            return .connection(url: url, reason: "request failed (\(error.shortDescription))")
        }
    }

    private static func classify(errno: CInt, description: String, url: String) -> FetchError {
        switch errno {
        case ECONNREFUSED:
            return .connection(url: url, reason: "connection refused; is the server up and the port right?")
        case ECONNRESET:
            return .connection(url: url, reason: "connection reset by the server")
        case EPIPE:
            return .connection(url: url, reason: "the server closed the connection while the request was sent")
        case ETIMEDOUT:
            return .timeout(url: url, reason: "the connection timed out")
        case EHOSTUNREACH, ENETUNREACH:
            return .connection(url: url, reason: "host unreachable (\(description))")
        default:
            return .connection(url: url, reason: "connection failed (\(description))")
        }
    }

    /// A NIOPosix `NIOConnectionError`: the first connection attempt's error when an
    /// address was reached, else a DNS error.
    private static func classify(
        _ error: NIOConnectionError,
        url: String,
        host: String,
        configuration: FetchConfiguration
    ) -> FetchError {
        if let first = error.connectionErrors.first {
            return self.classify(first.error, url: url, host: host, configuration: configuration)
        }
        if let unknown = (error.dnsAError ?? error.dnsAAAAError) as? SocketAddressError.UnknownHost {
            return .dns(url: url, host: unknown.host, reason: unknown.errorDescription)
        }
        if let dnsError = error.dnsAError ?? error.dnsAAAAError {
            return .dns(url: url, host: host, reason: "\(dnsError)")
        }
        return .dns(url: url, host: host, reason: "no address found")
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
