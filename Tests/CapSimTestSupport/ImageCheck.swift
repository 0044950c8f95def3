import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Checks that bytes are a real image by their headers, not by trusting the file name.
public enum ImageCheck {
    /// Width and height from a PNG's IHDR chunk, which must follow the 8-byte signature.
    public static func pngSize(_ data: Data) -> (width: UInt32, height: UInt32)? {
        let bytes = [UInt8](data)
        guard bytes.count > 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
              bytes[12..<16] == [0x49, 0x48, 0x44, 0x52] else { return nil }  // "IHDR"
        func be32(_ i: Int) -> UInt32 { bytes[i..<i + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        return (be32(16), be32(20))
    }

    /// The root element's name when `data` parses as XML.
    public static func xmlRoot(_ data: Data) -> String? {
        final class Root: NSObject, XMLParserDelegate {
            var name: String?
            func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
                if name == nil { name = elementName }
            }
        }
        let parser = XMLParser(data: data)
        let root = Root()
        parser.delegate = root
        return parser.parse() ? root.name : nil
    }

    /// Expects a non-empty PNG with positive width and height.
    public static func expectPNG(_ data: Data, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let size = pngSize(data)
        #expect(size != nil, "\(label) is not a PNG", sourceLocation: sourceLocation)
        if let size {
            #expect(size.width > 0 && size.height > 0, "\(label) has size \(size)", sourceLocation: sourceLocation)
        }
    }

    /// Expects well-formed XML whose root is <svg>.
    public static func expectSVG(_ data: Data, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(xmlRoot(data) == "svg", "\(label) is not SVG XML", sourceLocation: sourceLocation)
    }
}
