package dev.tasklane.core.lane;

/**
 * One model server of a lane.
 *
 * @param url            the API base ({@code …/v1}) or the full endpoint URL
 * @param apiKey         sent as a bearer token; null or blank sends none
 * @param weight         share of the lane's calls (later: weighted choice)
 * @param maxConcurrency most calls in flight to this node; 0 for no own bound
 */
public record NodeConfig(String name, String url, String apiKey, int weight, int maxConcurrency) {}
