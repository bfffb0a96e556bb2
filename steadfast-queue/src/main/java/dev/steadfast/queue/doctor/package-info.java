/**
 * The doctor: a diagnosis of a queue's database and its servers ({@link dev.steadfast.queue.doctor.DoctorReport#examine}):
 * the timeouts and settings that decide whether connections and jobs survive, the schema, the clock, clusters and
 * replicas, stranded jobs; each {@link dev.steadfast.queue.doctor.Finding} with its fix. The {@code doctor} command
 * prints it, the dashboard's connections page shows it; anything else that judges a queue's health may use it.
 */
package dev.steadfast.queue.doctor;
