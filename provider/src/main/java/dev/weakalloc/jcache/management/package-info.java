/** The statistics and configuration MXBeans, and their registration on the platform MBean server. */
package dev.weakalloc.jcache.management;
