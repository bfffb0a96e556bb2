/**
 * The dashboard's routes, pages, HTTP API and the request/answer types a server adapter works with ({@link
 * dev.steadfast.web.internal.WebApp}, {@link dev.steadfast.web.internal.Router}, {@link
 * dev.steadfast.web.internal.Request}): public only for the adapters of Steadfast's own modules (the command's Jetty).
 *
 * <p><b>Internal: not API.</b> Nothing here is covered by compatibility promises; it may change in any release.
 */
package dev.steadfast.web.internal;
