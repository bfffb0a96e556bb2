/**
 * Steadfast's dashboard and HTTP API for any HTTP server: {@link dev.steadfast.web.DashboardServlet} mounts them in an
 * application's servlet container, {@link dev.steadfast.web.WebSettings} configures them on a server of their own (the
 * command's {@code serve} and {@code work --http-port}); {@link dev.steadfast.web.JobJson}, {@link
 * dev.steadfast.web.PrintedTime}, {@link dev.steadfast.web.DurationText} and {@link dev.steadfast.web.RateText} are the
 * shapes of a job, a time, a duration and a rate the command and the dashboard share.
 */
package dev.steadfast.web;
